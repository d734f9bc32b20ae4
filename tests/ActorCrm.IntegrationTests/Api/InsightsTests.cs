using ActorCrm.Api;
using ActorCrm.Api.V1;
using ActorCrm.IntegrationTests.Infrastructure;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using ActorCrm.Grains.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ActorCrm.IntegrationTests.Api;

/// <summary>A silo of its own: these tests move its clock. Its directory asks for expired coverage every second.</summary>
public sealed class InsightsSiloFactory : SiloFactory
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Insights:CoverageRefreshSeconds"] = "1",
        ["Insights:ShareOfWalletMaxAgeSeconds"] = "0", // this silo's clock stands still: every read asks the ranking
    };
}

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
        // The expired reply was replaced in this silo's read cache by the fresh one (later reads are served from it again).
        var cache = silo.Services.GetRequiredService<GrainReadCache<ActorCrm.Domain.Model.AccountView>>();
        Assert.True(cache.TryGet(accountId, out var entry) && entry.View.InsightsValidUntil >= silo.Clock.GetUtcNow());

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

/// <summary>Share of wallet per account and rolled up the hierarchy, from the ranking's window revenue.</summary>
public class ShareOfWalletTests(InsightsSiloFactory silo) : IClassFixture<InsightsSiloFactory>
{
    [Fact]
    public async Task Share_of_wallet_follows_revenue_per_account_and_over_the_subtree_and_is_absent_without_a_volume()
    {
        var hq = Ids.New("sow-hq");
        var bureau = Ids.New("sow-bureau");
        var unit = Ids.New("sow-unit");
        await silo.Accounts.CreateAccountAsync(new CreateAccountRequest { Account = WithVolume(AccountApiTests.NewAccount(hq), 100_000_000) });
        await silo.Accounts.CreateAccountAsync(new CreateAccountRequest { Account = WithVolume(AccountApiTests.NewAccount(bureau, hq), 50_000_000) });
        await silo.Accounts.CreateAccountAsync(new CreateAccountRequest { Account = WithVolume(AccountApiTests.NewAccount(unit, bureau), 0) });

        // The volume reaches the ranking with the account's hierarchy report (at the next flush).
        var before = await InsightsAsync(hq, i => i.HasShareOfWallet);
        Assert.True(before.HasShareOfWallet);
        Assert.Equal(0, before.ShareOfWallet);

        var now = silo.Clock.GetUtcNow();
        await silo.Revenue.RecordRevenueAsync(new RecordRevenueRequest
        {
            Events =
            {
                Revenue(hq, 10_000_000, now), Revenue(bureau, 20_000_000, now), Revenue(unit, 7_000_000, now),
            },
        });
        // The ranking flushes every 50 ms here; the default window is 365 days, so no annualising.
        var hqInsights = await InsightsAsync(hq, i => i.WindowRevenueMinor == 10_000_000 && i.SubtreeShareOfWallet > 0.2);
        Assert.Equal(0.1, hqInsights.ShareOfWallet, 10);
        Assert.Equal(30_000_000 / 150_000_000.0, hqInsights.SubtreeShareOfWallet, 10); // the unit has no volume: its revenue is left out
        var bureauInsights = await InsightsAsync(bureau, i => i.WindowRevenueMinor == 20_000_000);
        Assert.Equal(0.4, bureauInsights.ShareOfWallet, 10);

        var unitInsights = await InsightsAsync(unit, i => i.WindowRevenueMinor == 7_000_000);
        Assert.False(unitInsights.HasShareOfWallet);
        Assert.False(unitInsights.HasSubtreeShareOfWallet);
        Assert.Contains(unitInsights.Missing, m => m.Code == "ORG_PURCHASE_VOLUME_UNKNOWN");
    }

    private static Account WithVolume(Account account, long volume)
    {
        account.OrganisationProfile.YearlyPurchaseVolumeMinor = volume;
        return account;
    }

    private static RevenueEvent Revenue(string accountId, long amount, DateTimeOffset at) => new()
    {
        AccountId = accountId, EventId = Ids.New("ev"), AmountMinor = amount, CurrencyCode = "CNY", OccurredAt = Timestamp.FromDateTimeOffset(at),
    };

    private async Task<AccountInsights> InsightsAsync(string accountId, Func<AccountInsights, bool> landed)
    {
        for (var attempt = 0; ; attempt++)
        {
            var insights = (await silo.Accounts.GetAccountAsync(new GetAccountRequest { AccountId = accountId })).Insights;
            if (landed(insights) || attempt == 60) return insights;
            await Task.Delay(50);
        }
    }
}

/// <summary>Intel nobody verified for Insights:StaleAfterDays goes stale; ConfirmIntel (or an edit) makes it fresh again.</summary>
public class StaleIntelTests(InsightsSiloFactory silo) : IClassFixture<InsightsSiloFactory>
{
    private static readonly string[] AccountSectionCodes = ["ORG_PROFILE_STALE", "INSTALLED_BASE_STALE", "COMPETITOR_STALE", "OPPORTUNITY_STALE"];

    [Fact]
    public async Task Sections_go_stale_after_180_days_in_the_insights_and_the_directory_until_a_person_confirms_them()
    {
        var parentId = Ids.New("stale-grp");
        var accountId = Ids.New("stale");
        await silo.Accounts.CreateAccountAsync(new CreateAccountRequest { Account = AccountApiTests.NewAccount(parentId) });
        var created = await silo.Accounts.CreateAccountAsync(new CreateAccountRequest { Account = AccountApiTests.NewAccount(accountId, parent: parentId) });
        Assert.Equal(silo.Clock.GetUtcNow(), created.OrganisationProfile.LastVerifiedTime.ToDateTimeOffset());
        Assert.Equal(silo.Clock.GetUtcNow(), created.Competitors[0].LastVerifiedTime.ToDateTimeOffset());
        Assert.Equal(silo.Clock.GetUtcNow(), created.InstalledBaseLastVerifiedTime.ToDateTimeOffset());
        await silo.Opportunities.CreateOpportunityAsync(new CreateOpportunityRequest { Opportunity = ContactAndOpportunityApiTests.NewOpportunity(accountId, "opp-s") });
        var contact = ContactAndOpportunityApiTests.NewContact(Ids.New("c"), accountId);
        var createdContact = await silo.Contacts.CreateContactAsync(new CreateContactRequest { Contact = contact });
        Assert.Equal(silo.Clock.GetUtcNow(), createdContact.PersonalProfile.LastVerifiedTime.ToDateTimeOffset());

        var fresh = await InsightsAsync(accountId, i => i.PeopleCoverage == 1);
        Assert.DoesNotContain(fresh.Missing, m => m.Code.EndsWith("_STALE"));
        await ListedCoverageAsync(parentId, accountId, fresh.OverallCoverage);

        // 181 days on, nobody having touched anything: every section is stale.
        silo.Clock.Advance(TimeSpan.FromDays(181));
        var stale = await InsightsAsync(accountId, i => i.Missing.Any(m => m.Code == "CONTACT_PROFILE_STALE"));
        Assert.Equal([.. AccountSectionCodes, "CONTACT_PROFILE_STALE"], stale.Missing.Select(m => m.Code).Where(c => c.EndsWith("_STALE")));
        Assert.True(stale.OverallCoverage < fresh.OverallCoverage);
        // The directory hears of it with no write at all (its partitions ask accounts whose coverage expired).
        await ListedCoverageAsync(parentId, accountId, stale.OverallCoverage);

        var confirmed = await silo.Accounts.ConfirmIntelAsync(new ConfirmIntelRequest
        {
            AccountId = accountId,
            Sections =
            {
                new IntelSection { Kind = IntelSectionKind.OrganisationProfile },
                new IntelSection { Kind = IntelSectionKind.InstalledBase },
                new IntelSection { Kind = IntelSectionKind.Competitor, Subject = "逸帆智能交通科技有限公司" },
                new IntelSection { Kind = IntelSectionKind.Opportunity, Subject = "opp-s" },
                new IntelSection { Kind = IntelSectionKind.ContactProfile, Subject = contact.ContactId },
            },
        });
        Assert.NotEqual(created.Etag, confirmed.Etag); // a confirmation is a write
        Assert.Equal(silo.Clock.GetUtcNow(), confirmed.OrganisationProfile.LastVerifiedTime.ToDateTimeOffset());
        Assert.DoesNotContain(confirmed.Insights.Missing, m => AccountSectionCodes.Contains(m.Code));
        var opportunity = await silo.Opportunities.GetOpportunityAsync(new GetOpportunityRequest { AccountId = accountId, OpportunityId = "opp-s" });
        Assert.Equal(silo.Clock.GetUtcNow(), opportunity.LastVerifiedTime.ToDateTimeOffset());
        var readContact = await silo.Contacts.GetContactAsync(new GetContactRequest { ContactId = contact.ContactId });
        Assert.Equal(silo.Clock.GetUtcNow(), readContact.PersonalProfile.LastVerifiedTime.ToDateTimeOffset());

        var again = await InsightsAsync(accountId, i => i.Missing.All(m => !m.Code.EndsWith("_STALE")));
        Assert.DoesNotContain(again.Missing, m => m.Code.EndsWith("_STALE"));
        Assert.Equal(fresh.OverallCoverage, again.OverallCoverage, 10);
        await ListedCoverageAsync(parentId, accountId, fresh.OverallCoverage);
    }

    [Fact]
    public async Task An_edit_verifies_the_section_it_changes_and_a_bad_confirmation_changes_nothing()
    {
        var accountId = Ids.New("stale-edit");
        var created = await silo.Accounts.CreateAccountAsync(new CreateAccountRequest { Account = AccountApiTests.NewAccount(accountId) });
        silo.Clock.Advance(TimeSpan.FromDays(200));

        var patch = new Account { AccountId = accountId, Etag = created.Etag, OrganisationProfile = created.OrganisationProfile.Clone() };
        patch.OrganisationProfile.EmployeeCount = 6000;
        var updated = await silo.Accounts.UpdateAccountAsync(new UpdateAccountRequest { Account = patch, UpdateMask = new FieldMask { Paths = { "organisation_profile" } } });
        Assert.Equal(silo.Clock.GetUtcNow(), updated.OrganisationProfile.LastVerifiedTime.ToDateTimeOffset());
        Assert.Equal(created.Competitors[0].LastVerifiedTime, updated.Competitors[0].LastVerifiedTime); // not edited: still stale
        Assert.DoesNotContain(updated.Insights.Missing, m => m.Code == "ORG_PROFILE_STALE");
        Assert.Contains(updated.Insights.Missing, m => m.Code == "COMPETITOR_STALE");

        // An unknown competitor: NOT_FOUND, and the installed base named with it is not confirmed either.
        await ApiAssert.FailsWith(StatusCode.NotFound, () => silo.Accounts.ConfirmIntelAsync(new ConfirmIntelRequest
        {
            AccountId = accountId,
            Sections = { new IntelSection { Kind = IntelSectionKind.InstalledBase }, new IntelSection { Kind = IntelSectionKind.Competitor, Subject = "无此公司" } },
        }));
        await ApiAssert.FailsWith(StatusCode.NotFound, () => silo.Accounts.ConfirmIntelAsync(new ConfirmIntelRequest
        {
            AccountId = accountId,
            Sections = { new IntelSection { Kind = IntelSectionKind.InstalledBase }, new IntelSection { Kind = IntelSectionKind.ContactProfile, Subject = "no-such-contact" } },
        }));
        var read = await silo.Accounts.GetAccountAsync(new GetAccountRequest { AccountId = accountId });
        Assert.Equal(updated.Etag, read.Etag);
        Assert.Contains(read.Insights.Missing, m => m.Code == "INSTALLED_BASE_STALE");

        await ApiAssert.InvalidField("sections", () => silo.Accounts.ConfirmIntelAsync(new ConfirmIntelRequest { AccountId = accountId }));
        await ApiAssert.InvalidField("sections[0].subject", () => silo.Accounts.ConfirmIntelAsync(new ConfirmIntelRequest
        {
            AccountId = accountId, Sections = { new IntelSection { Kind = IntelSectionKind.OrganisationProfile, Subject = "x" } },
        }));
        await ApiAssert.InvalidField("sections[0].kind", () => silo.Accounts.ConfirmIntelAsync(new ConfirmIntelRequest
        {
            AccountId = accountId, Sections = { new IntelSection { Kind = IntelSectionKind.Unspecified } },
        }));
    }

    [Fact]
    public async Task Confirming_a_contact_profile_needs_the_personal_data_write_right()
    {
        // The scoped service may write accounts under scope-root, but not personal data.
        await silo.Accounts.CreateAccountAsync(new CreateAccountRequest { Account = AccountApiTests.NewAccount(TestKeys.ScopedServiceRoot) });
        var contact = ContactAndOpportunityApiTests.NewContact(Ids.New("c"), TestKeys.ScopedServiceRoot);
        var created = await silo.Contacts.CreateContactAsync(new CreateContactRequest { Contact = contact });
        var service = new AccountService.AccountServiceClient(silo.ChannelAs(ActorCrmCredentials.ApiKey(TestKeys.ScopedService)));

        await ApiAssert.FailsWith(StatusCode.PermissionDenied, () => service.ConfirmIntelAsync(new ConfirmIntelRequest
        {
            AccountId = TestKeys.ScopedServiceRoot,
            Sections = { new IntelSection { Kind = IntelSectionKind.OrganisationProfile }, new IntelSection { Kind = IntelSectionKind.ContactProfile, Subject = contact.ContactId } },
        }));
        var read = await silo.Contacts.GetContactAsync(new GetContactRequest { ContactId = contact.ContactId });
        Assert.Equal(created.Etag, read.Etag); // refused: nothing confirmed, not even the account's own section
        Assert.Equal("\"1\"", (await silo.Accounts.GetAccountAsync(new GetAccountRequest { AccountId = TestKeys.ScopedServiceRoot })).Etag);

        var confirmed = await service.ConfirmIntelAsync(new ConfirmIntelRequest
        {
            AccountId = TestKeys.ScopedServiceRoot, Sections = { new IntelSection { Kind = IntelSectionKind.OrganisationProfile } },
        });
        Assert.Equal(silo.Clock.GetUtcNow(), confirmed.OrganisationProfile.LastVerifiedTime.ToDateTimeOffset());
    }

    /// <summary>Waits until the directory lists the account (a child of <paramref name="parentId"/>) with this coverage.</summary>
    private async Task ListedCoverageAsync(string parentId, string accountId, double expected)
    {
        double listed = -1;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var page = await silo.Accounts.ListAccountsAsync(new ListAccountsRequest { ParentAccountId = parentId });
            listed = page.Accounts.Single(a => a.AccountId == accountId).Coverage;
            if (Math.Abs(listed - expected) < 1e-9) return;
            await Task.Delay(100);
        }
        Assert.Equal(expected, listed, 9);
    }

    private async Task<AccountInsights> InsightsAsync(string accountId, Func<AccountInsights, bool> landed)
    {
        for (var attempt = 0; ; attempt++)
        {
            var insights = (await silo.Accounts.GetAccountAsync(new GetAccountRequest { AccountId = accountId })).Insights;
            if (landed(insights) || attempt == 40) return insights;
            await Task.Delay(50);
        }
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
        Assert.Contains("share of wallet", table.Out);

        var json = await Cli.CliRunner.RunAsync(silo, "insights", accountId, "--output", "json");
        var line = Assert.Single(json.JsonLines);
        Assert.Equal(accountId, line.GetProperty("account_id").GetString());
        Assert.Equal(0, line.GetProperty("insights").GetProperty("people_coverage").GetDouble());
    }

    [Fact]
    public async Task The_cli_confirms_sections_and_refuses_an_empty_confirmation()
    {
        var accountId = Ids.New("cli-conf");
        var created = await silo.Accounts.CreateAccountAsync(new CreateAccountRequest { Account = AccountApiTests.NewAccount(accountId) });

        var confirmed = await Cli.CliRunner.RunAsync(silo, "confirm", accountId, "--profile", "--competitor", "逸帆智能交通科技有限公司");
        Assert.Equal(0, confirmed.ExitCode);
        Assert.Contains("confirmed 2 section(s)", confirmed.Out);
        var read = await silo.Accounts.GetAccountAsync(new GetAccountRequest { AccountId = accountId });
        Assert.NotEqual(created.Etag, read.Etag);

        var unknown = await Cli.CliRunner.RunAsync(silo, "confirm", accountId, "--competitor", "无此公司");
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("无此公司", unknown.Err);
        Assert.NotEqual(0, (await Cli.CliRunner.RunAsync(silo, "confirm", accountId)).ExitCode);
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
        // Each mask gets its own cached reply: another mask, then the first again, then after a change.
        var nameOnly = await silo.Accounts.GetAccountAsync(new GetAccountRequest { AccountId = id, ReadMask = new FieldMask { Paths = { "display_name" } } });
        Assert.Equal(new Account { DisplayName = full.DisplayName }, nameOnly);
        Assert.Equal(some, await silo.Accounts.GetAccountAsync(new GetAccountRequest { AccountId = id, ReadMask = new FieldMask { Paths = { "account_id", "display_name", "etag", "insights.overall_coverage" } } }));
        var renamed = await silo.Accounts.UpdateAccountAsync(new UpdateAccountRequest
        {
            Account = new Account { AccountId = id, Etag = full.Etag, DisplayName = "澄岷交通（更名）" }, UpdateMask = new FieldMask { Paths = { "display_name" } },
        });
        Assert.Equal(new Account { DisplayName = renamed.DisplayName },
            await silo.Accounts.GetAccountAsync(new GetAccountRequest { AccountId = id, ReadMask = new FieldMask { Paths = { "display_name" } } }));

        await ApiAssert.InvalidField("read_mask", () => silo.Accounts.GetAccountAsync(new GetAccountRequest
        {
            AccountId = "no-such-account", ReadMask = new FieldMask { Paths = { "no_such_field" } },
        }));
    }
}
