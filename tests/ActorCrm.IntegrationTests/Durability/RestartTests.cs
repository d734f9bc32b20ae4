using ActorCrm.Api.V1;
using ActorCrm.IntegrationTests.Api;
using ActorCrm.IntegrationTests.Infrastructure;
using Google.Protobuf.WellKnownTypes;

namespace ActorCrm.IntegrationTests.Durability;

/// <summary>State on Azure Storage (Azurite) survives kill -9 of the silo, exactly.</summary>
public class RestartTests
{
    private static Dictionary<string, string> AzureSettings(string ns, string serviceId = "actorcrm-test", string smallRecords = "Table") => new()
    {
        ["Storage:Provider"] = "AzureStorage",
        ["Storage:SmallRecords"] = smallRecords,
        ["Storage:ConnectionString"] = Azurite.ConnectionString,
        ["Storage:Namespace"] = ns,
        ["Orleans:ServiceId"] = serviceId,
        ["Orleans:ClusterId"] = $"c{Guid.NewGuid():N}",
    };

    /// <summary>With account, contact and activity states in Table storage (the default) and in Blob storage.</summary>
    [Theory]
    [InlineData("Table")]
    [InlineData("Blob")]
    public async Task Every_record_etag_ledger_total_and_the_concentration_come_back_after_kill_9(string smallRecords)
    {
        Azurite.EnsureRunning();
        var ns = Azurite.NewNamespace();
        var now = DateTimeOffset.UtcNow;
        string hq = "hq", bureau = "bureau", other = "other";

        Account[] accountsBefore;
        Contact contactBefore;
        Opportunity opportunityBefore;
        ListActivitiesResponse activitiesBefore;
        Concentration concentrationBefore, groupBefore;
        AccountRank rankBefore;
        await using (var silo = await SiloProcess.StartAsync(AzureSettings(ns, smallRecords: smallRecords)))
        {
            await silo.Accounts.CreateAccountAsync(new CreateAccountRequest { Account = AccountApiTests.NewAccount(hq, tier: StrategicTier.NationalHq) });
            await silo.Accounts.CreateAccountAsync(new CreateAccountRequest { Account = AccountApiTests.NewAccount(bureau, parent: hq) });
            var created = await silo.Accounts.CreateAccountAsync(new CreateAccountRequest { Account = AccountApiTests.NewAccount(other) });
            await silo.Accounts.UpdateAccountAsync(new UpdateAccountRequest
            {
                Account = new Account { AccountId = other, Etag = created.Etag, DisplayName = "广东省昊澎公路管理局（更名）" },
                UpdateMask = new FieldMask { Paths = { "display_name" } },
            });
            contactBefore = await silo.Contacts.CreateContactAsync(new CreateContactRequest
            {
                Contact = new Contact
                {
                    ContactId = "c1", AccountId = bureau, DisplayName = "李砚舟", Level = ContactLevel.Executive,
                    RelationshipStrength = RelationshipStrength.Good, PersonalProfile = new PersonalProfile { Hometown = "湖北宜昌" },
                    PersonalDataBasis = Api.ContactAndOpportunityApiTests.Basis(),
                },
            });
            opportunityBefore = await silo.Opportunities.CreateOpportunityAsync(new CreateOpportunityRequest
            {
                Opportunity = new Opportunity
                {
                    AccountId = bureau, OpportunityId = "o1", Name = "隧道监测系统", Stage = Stage.Bidding, Status = OpportunityStatus.Open,
                    AmountMinor = 9_900_000_00, CurrencyCode = "CNY", BuyingCentre = { new BuyingCentreMember { ContactId = "c1", Role = BuyingRole.DecisionMaker, Stance = Stance.Supporter } },
                },
            });
            await silo.Opportunities.LogActivityAsync(new LogActivityRequest
            {
                Activity = new Activity { AccountId = bureau, ActivityId = "a1", Type = "site_visit", OccurredAt = Timestamp.FromDateTimeOffset(now.AddDays(-1)), ContactIds = { "c1" } },
            });
            var revenue = new RecordRevenueRequest();
            for (var i = 0; i < 30; i++)
                revenue.Events.Add(new RevenueEvent
                {
                    EventId = $"inv-{i}", AccountId = i % 3 == 0 ? hq : i % 3 == 1 ? bureau : other, AmountMinor = (i + 1) * 1_000_00,
                    CurrencyCode = "CNY", OccurredAt = Timestamp.FromDateTimeOffset(now.AddDays(-i)),
                });
            var results = await silo.Revenue.RecordRevenueAsync(revenue);
            Assert.All(results.Results, r => Assert.Equal(RevenueEventStatus.Accepted, r.Status));

            concentrationBefore = await WaitForAsync(() => silo.Ranking.GetConcentrationAsync(new GetConcentrationRequest()).ResponseAsync, c => c.AccountCount == 3);
            groupBefore = await WaitForAsync(() => silo.Ranking.GetConcentrationAsync(new GetConcentrationRequest { Scope = RankingScope.Group }).ResponseAsync, c => c.AccountCount == 2);
            rankBefore = await silo.Ranking.GetAccountRankAsync(new GetAccountRankRequest { AccountId = bureau });
            accountsBefore = (await silo.Accounts.ListAccountsAsync(new ListAccountsRequest { View = AccountListView.Full })).Accounts.ToArray();
            activitiesBefore = await silo.Opportunities.ListActivitiesAsync(new ListActivitiesRequest { AccountId = bureau });

            silo.Kill();
        }

        await using var restarted = await SiloProcess.StartAsync(AzureSettings(ns, smallRecords: smallRecords));
        // Every field, coverage included; rank and class are the ranking's live figures (checked below with the concentration).
        Assert.Equal(accountsBefore.Select(ApiAssert.WithoutRankingFigures),
            (await restarted.Accounts.ListAccountsAsync(new ListAccountsRequest { View = AccountListView.Full })).Accounts.Select(ApiAssert.WithoutRankingFigures));
        Assert.Equal(contactBefore, await restarted.Contacts.GetContactAsync(new GetContactRequest { ContactId = "c1" }));
        Assert.Equal(opportunityBefore, await restarted.Opportunities.GetOpportunityAsync(new GetOpportunityRequest { AccountId = bureau, OpportunityId = "o1" }));
        Assert.Equal(activitiesBefore, await restarted.Opportunities.ListActivitiesAsync(new ListActivitiesRequest { AccountId = bureau }));
        // The rankings are saved on their own cadence; what the kill cut off is swept back from the
        // saved ledgers when they activate, so they converge to exactly the figures before.
        await WaitForAsync(() => restarted.Ranking.GetAccountRankAsync(new GetAccountRankRequest { AccountId = bureau }).ResponseAsync, r => r.Equals(rankBefore));
        await WaitForAsync(() => Figures(restarted, RankingScope.Account), c => c.Equals(Without(concentrationBefore)));
        await WaitForAsync(() => Figures(restarted, RankingScope.Group), c => c.Equals(Without(groupBefore)));

        // Exactly once survives the restart too.
        var resend = await restarted.Revenue.RecordRevenueAsync(new RecordRevenueRequest
        {
            Events = { new RevenueEvent { EventId = "inv-0", AccountId = hq, AmountMinor = 1_000_00, CurrencyCode = "CNY", OccurredAt = Timestamp.FromDateTimeOffset(now) } },
        });
        Assert.Equal(RevenueEventStatus.Duplicate, resend.Results[0].Status);
    }

    [Fact]
    public async Task A_silo_with_another_service_id_refuses_to_start_on_the_same_store()
    {
        Azurite.EnsureRunning();
        var ns = Azurite.NewNamespace();
        await using (await SiloProcess.StartAsync(AzureSettings(ns, "first")))
        {
        }
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => SiloProcess.StartAsync(AzureSettings(ns, "second")));
        Assert.Contains("ServiceId 'first'", error.Message);

        await using var adopted = await SiloProcess.StartAsync(new Dictionary<string, string>(AzureSettings(ns, "second"))
        {
            ["Storage:AllowServiceIdChange"] = "true",
        });
        Assert.False(adopted.HasExited);
    }

    private static async Task<Concentration> Figures(SiloProcess silo, RankingScope scope) =>
        Without(await silo.Ranking.GetConcentrationAsync(new GetConcentrationRequest { Scope = scope }));

    private static Concentration Without(Concentration figures)
    {
        var copy = figures.Clone();
        copy.AsOf = null;
        return copy;
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var value = await read();
        for (var i = 0; i < 100 && !done(value); i++)
        {
            await Task.Delay(100);
            value = await read();
        }
        Assert.True(done(value), $"condition not reached: {value}");
        return value;
    }
}
