using ActorCrm.Api.V1;
using ActorCrm.IntegrationTests.Infrastructure;
using Google.Protobuf.WellKnownTypes;

namespace ActorCrm.IntegrationTests.Api;

/// <summary>A silo of its own: these tests move its clock.</summary>
public sealed class InsightsSiloFactory : SiloFactory;

/// <summary>Insights that depend on the day follow the clock, even for a reply this silo has cached.</summary>
public class InsightsOverTimeTests(InsightsSiloFactory silo) : IClassFixture<InsightsSiloFactory>
{
    [Fact]
    public async Task An_opportunity_without_sales_activity_for_30_days_raises_a_red_flag_that_an_activity_clears()
    {
        var accountId = Ids.New("quiet");
        await silo.Accounts.CreateAccountAsync(new CreateAccountRequest { Account = AccountApiTests.NewAccount(accountId) });
        await silo.Opportunities.CreateOpportunityAsync(new CreateOpportunityRequest { Opportunity = ContactAndOpportunityApiTests.NewOpportunity(accountId, "opp-q") });
        async Task<IEnumerable<string>> FlagsAsync() =>
            (await silo.Accounts.GetAccountAsync(new GetAccountRequest { AccountId = accountId })).Insights.RedFlags.Select(f => f.Code);

        Assert.DoesNotContain("NO_RECENT_ACTIVITY", await FlagsAsync()); // read once: this silo caches the reply
        silo.Clock.Advance(TimeSpan.FromDays(31));
        Assert.Contains("NO_RECENT_ACTIVITY", await FlagsAsync());

        await silo.Opportunities.LogActivityAsync(new LogActivityRequest
        {
            Activity = new Activity
            {
                AccountId = accountId, ActivityId = Ids.New("act"), Type = "visit", OpportunityId = "opp-q",
                OccurredAt = Timestamp.FromDateTimeOffset(silo.Clock.GetUtcNow()), Subject = "技术交流",
            },
        });
        Assert.DoesNotContain("NO_RECENT_ACTIVITY", await FlagsAsync());
    }
}

/// <summary>GetAccount's insights follow the account's contacts and opportunities live.</summary>
[Collection(SiloCollection.Name)]
public class InsightsTests(SiloFactory silo)
{
    [Fact]
    public async Task A_contact_with_a_full_profile_raises_the_people_score_and_naming_a_decision_maker_clears_that_flag()
    {
        var accountId = Ids.New("ins");
        await silo.Accounts.CreateAccountAsync(new CreateAccountRequest { Account = AccountApiTests.NewAccount(accountId) });
        var created = await silo.Opportunities.CreateOpportunityAsync(new CreateOpportunityRequest
        {
            Opportunity = ContactAndOpportunityApiTests.NewOpportunity(accountId, "opp-ins"),
        });
        var before = await InsightsAsync(accountId);
        Assert.Equal(0, before.PeopleCoverage);
        Assert.Contains(before.Missing, m => m.Code == "CONTACT_NONE");
        Assert.Contains(before.RedFlags, f => f.Code == "NO_DECISION_MAKER" && f.OpportunityId == "opp-ins");

        // A contact with every profile item and a place in the org chart: the people score is 1.
        var contact = ContactAndOpportunityApiTests.NewContact(Ids.New("c"), accountId);
        await silo.Contacts.CreateContactAsync(new CreateContactRequest { Contact = contact });
        var withContact = await InsightsAsync(accountId, i => i.PeopleCoverage > 0);
        Assert.Equal(1.0, withContact.PeopleCoverage);
        Assert.DoesNotContain(withContact.Missing, m => m.Category == IntelCategory.People);
        Assert.DoesNotContain(withContact.Missing, m => m.Code == "ORG_NO_EXECUTIVE_CONTACT"); // the contact is an executive
        Assert.True(withContact.OverallCoverage > before.OverallCoverage);

        // Naming them as the decision maker clears that flag (and, being an executive, NO_EXECUTIVE_CONTACT).
        await silo.Opportunities.UpdateOpportunityAsync(new UpdateOpportunityRequest
        {
            Opportunity = new Opportunity
            {
                AccountId = accountId, OpportunityId = "opp-ins", Etag = created.Etag,
                BuyingCentre = { new BuyingCentreMember { ContactId = contact.ContactId, Role = BuyingRole.DecisionMaker, Stance = Stance.Supporter } },
            },
            UpdateMask = new FieldMask { Paths = { "buying_centre" } },
        });
        var after = await InsightsAsync(accountId);
        Assert.DoesNotContain(after.RedFlags, f => f.Code is "NO_DECISION_MAKER" or "NO_EXECUTIVE_CONTACT");
        Assert.DoesNotContain(after.Missing, m => m.Code == "OPPORTUNITY_NO_DECISION_MAKER");

        // Erasing the contact's personal data lowers the people score again (the name and level stay known).
        await silo.Contacts.ErasePersonalDataAsync(new ErasePersonalDataRequest { ContactId = contact.ContactId });
        var erased = await InsightsAsync(accountId, i => i.PeopleCoverage < 1);
        Assert.Equal(1.0 / 10, erased.PeopleCoverage, 9); // only the org-chart item is left
        Assert.Contains(erased.Missing, m => m.Code == "CONTACT_HOMETOWN_UNKNOWN" && m.Subject == contact.ContactId);
    }

    /// <summary>
    /// The account's insights, once <paramref name="landed"/> holds: a contact reports to its account
    /// one-way after its own write, so the account may hear of it a moment after the contact's reply.
    /// </summary>
    private async Task<AccountInsights> InsightsAsync(string accountId, Func<AccountInsights, bool>? landed = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            var insights = (await silo.Accounts.GetAccountAsync(new GetAccountRequest { AccountId = accountId })).Insights;
            if (landed is null || landed(insights) || attempt == 40) return insights;
            await Task.Delay(50);
        }
    }
}

/// <summary>`actorcrm insights ID`.</summary>
[Collection(SiloCollection.Name)]
public class InsightsCliTests(SiloFactory silo)
{
    [Fact]
    public async Task The_cli_shows_coverage_missing_intel_and_red_flags()
    {
        var accountId = Ids.New("cli-ins");
        await silo.Accounts.CreateAccountAsync(new CreateAccountRequest { Account = AccountApiTests.NewAccount(accountId) });
        await silo.Opportunities.CreateOpportunityAsync(new CreateOpportunityRequest { Opportunity = ContactAndOpportunityApiTests.NewOpportunity(accountId, "opp-c") });

        var table = await Cli.CliRunner.RunAsync(silo, "insights", accountId);
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("organisation", table.Out);
        Assert.Contains("NO_DECISION_MAKER", table.Out);
        Assert.Contains("ORG_NO_USING_UNIT", table.Out);

        var json = await Cli.CliRunner.RunAsync(silo, "insights", accountId, "--output", "json");
        var line = Assert.Single(json.JsonLines);
        Assert.Equal(accountId, line.GetProperty("account_id").GetString());
        Assert.Equal(0, line.GetProperty("insights").GetProperty("people_coverage").GetDouble());
    }
}

/// <summary>GetAccount's read_mask returns only the fields asked for (e.g. without the insights' bytes).</summary>
[Collection(SiloCollection.Name)]
public class ReadMaskTests(SiloFactory silo)
{
    [Fact]
    public async Task A_read_mask_selects_fields_and_a_bad_path_is_invalid()
    {
        var id = Ids.New("mask");
        await silo.Accounts.CreateAccountAsync(new CreateAccountRequest { Account = AccountApiTests.NewAccount(id) });
        var full = await silo.Accounts.GetAccountAsync(new GetAccountRequest { AccountId = id });

        var some = await silo.Accounts.GetAccountAsync(new GetAccountRequest
        {
            AccountId = id,
            ReadMask = new FieldMask { Paths = { "account_id", "display_name", "etag", "insights.overall_coverage" } },
        });
        Assert.Equal(new Account
        {
            AccountId = id, DisplayName = full.DisplayName, Etag = full.Etag,
            Insights = new AccountInsights { OverallCoverage = full.Insights.OverallCoverage },
        }, some);
        Assert.True(some.CalculateSize() < full.CalculateSize() / 4);
        // The full reply is unchanged by a masked read (the silo caches it).
        Assert.Equal(full, await silo.Accounts.GetAccountAsync(new GetAccountRequest { AccountId = id }));

        await ApiAssert.InvalidField("read_mask", () => silo.Accounts.GetAccountAsync(new GetAccountRequest
        {
            AccountId = "no-such-account", ReadMask = new FieldMask { Paths = { "no_such_field" } },
        }));
    }
}
