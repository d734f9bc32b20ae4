using ActorCrm.Domain.Insights;
using ActorCrm.Domain.Model;

namespace ActorCrm.UnitTests.Insights;

/// <summary>Sections not verified for Insights:StaleAfterDays count half and are listed; edits and confirmations stamp them.</summary>
public class StaleIntelTests
{
    private static readonly DateOnly Today = new(2026, 11, 29);

    private static Account Account() => IntelCoverageTests.FullyKnownAccount();

    private static AccountInsights Evaluate(IntelVerifiedOn verified, int staleAfterDays = 180) =>
        IntelCoverage.Evaluate(Account(), [new OpportunityIntel(IntelCoverageTests.FullyKnownOpportunity(), Today.AddDays(-400), Today)],
            IntelCoverageTests.FullyKnownContacts(), Today,
            new InsightOptions { StaleAfterDays = staleAfterDays }, verified);

    private static IntelVerifiedOn AllVerifiedOn(DateOnly day) => new()
    {
        OrganisationProfile = day, InstalledBase = day,
        Competitors = new Dictionary<string, DateOnly> { ["逸帆科技"] = day },
        Opportunities = new Dictionary<string, DateOnly> { ["opp-1"] = day },
        ContactProfiles = new Dictionary<string, DateOnly> { ["c-boss"] = day, ["c-eng"] = day, ["c-user"] = day },
    };

    [Fact]
    public void A_section_verified_exactly_stale_after_days_ago_is_fresh_and_one_day_more_is_stale()
    {
        var fresh = Evaluate(AllVerifiedOn(Today.AddDays(-180)));
        Assert.DoesNotContain(fresh.Missing, m => m.Code.EndsWith("_STALE"));
        Assert.Equal(Today.AddDays(1), fresh.NextStaleDay);

        var stale = Evaluate(AllVerifiedOn(Today.AddDays(-181)));
        Assert.Equal(
            ["ORG_PROFILE_STALE", "INSTALLED_BASE_STALE", "COMPETITOR_STALE", "OPPORTUNITY_STALE", "CONTACT_PROFILE_STALE"],
            stale.Missing.Where(m => m.Code.EndsWith("_STALE")).Select(m => m.Code).Distinct());
        Assert.Null(stale.NextStaleDay);
        Assert.Contains(stale.Missing, m => m is { Code: "COMPETITOR_STALE", Subject: "逸帆科技", Category: IntelCategory.Competitors });
        Assert.Contains(stale.Missing, m => m is { Code: "OPPORTUNITY_STALE", Subject: "opp-1", Category: IntelCategory.Projects });
        Assert.Contains(stale.Missing, m => m is { Code: "CONTACT_PROFILE_STALE", Subject: "c-boss", Category: IntelCategory.People });
    }

    [Fact]
    public void Known_items_of_a_stale_section_count_half()
    {
        var fresh = Evaluate(AllVerifiedOn(Today));
        Assert.Equal(1.0, fresh.Competitors);
        Assert.Equal(1.0, fresh.Projects);

        var stale = Evaluate(AllVerifiedOn(Today.AddDays(-365)));
        Assert.Equal(0.5, stale.Competitors);
        Assert.Equal(0.5, stale.Projects);
        // Nine profile items stale (half each), the org-chart place is not part of the profile: (9 × 0.5 + 1) / 10.
        Assert.Equal(0.55, stale.People, 10);
        // Organisation: 9 profile items and the installed base stale, the 3 contact levels known fresh: (10 × 0.5 + 3) / 13.
        Assert.Equal(8.0 / 13, stale.Organisation, 10);
        Assert.True(stale.Overall < fresh.Overall);
    }

    [Fact]
    public void Only_the_stale_section_is_affected_and_the_setting_moves_the_threshold()
    {
        var onlyInstalledBaseOld = AllVerifiedOn(Today) with { InstalledBase = Today.AddDays(-40) };
        Assert.DoesNotContain(Evaluate(onlyInstalledBaseOld).Missing, m => m.Code.EndsWith("_STALE"));
        var insights = Evaluate(onlyInstalledBaseOld, staleAfterDays: 30);
        Assert.Equal(["INSTALLED_BASE_STALE"], insights.Missing.Where(m => m.Code.EndsWith("_STALE")).Select(m => m.Code));
        Assert.Equal(Today.AddDays(31), insights.NextStaleDay); // the rest, verified today, turns stale after 30 days
    }

    [Fact]
    public void An_empty_section_is_missing_not_stale_and_unstamped_sections_count_as_fresh()
    {
        var empty = Account() with { InstalledBase = [] };
        var insights = IntelCoverage.Evaluate(empty, [], [], Today, new InsightOptions(),
            AllVerifiedOn(Today.AddDays(-400)) with { OrganisationProfile = null });
        Assert.Contains(insights.Missing, m => m.Code == "ORG_NO_INSTALLED_BASE");
        Assert.DoesNotContain(insights.Missing, m => m.Code is "INSTALLED_BASE_STALE" or "ORG_PROFILE_STALE");
        Assert.Contains(insights.Missing, m => m.Code == "COMPETITOR_STALE");
    }

    [Fact]
    public void An_edit_stamps_only_the_sections_it_changes()
    {
        var created = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var edited = created.AddDays(200);
        var before = Account();
        var stamps = new AccountIntelVerification().After(null, before, created);
        Assert.Equal(created, stamps.OrganisationProfile);
        Assert.Equal(created, stamps.Competitors["逸帆科技"]);

        // The same content re-sent (new list instances) refreshes nothing.
        var resent = before with
        {
            OrganisationProfile = before.OrganisationProfile with { Units = [.. before.OrganisationProfile.Units] },
            Competitors = [before.Competitors[0] with { ProductsInUse = ["智慧平台"] }],
        };
        Assert.Equal(stamps.OrganisationProfile, stamps.After(before, resent, edited).OrganisationProfile);
        Assert.Equal(created, stamps.After(before, resent, edited).Competitors["逸帆科技"]);

        // A changed competitor and a new one are stamped; the profile is not.
        var changed = before with
        {
            Competitors = [before.Competitors[0] with { SalesRepName = "新代表" }, new CompetitorIntel { Competitor = "北辰" }],
        };
        var after = stamps.After(before, changed, edited);
        Assert.Equal(created, after.OrganisationProfile);
        Assert.Equal(created, after.InstalledBase);
        Assert.Equal(edited, after.Competitors["逸帆科技"]);
        Assert.Equal(edited, after.Competitors["北辰"]);

        var confirmed = after.Confirm([new IntelSection(IntelSectionKind.InstalledBase, "")], edited.AddDays(1));
        Assert.Equal(edited.AddDays(1), confirmed.InstalledBase);
        Assert.Equal(created, confirmed.OrganisationProfile);
    }
}
