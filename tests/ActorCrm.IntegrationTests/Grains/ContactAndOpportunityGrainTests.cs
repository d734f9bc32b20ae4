using ActorCrm.Domain.Errors;
using ActorCrm.Domain.Model;
using ActorCrm.Grains;
using ActorCrm.IntegrationTests.Infrastructure;

namespace ActorCrm.IntegrationTests.Grains;

[Collection(ClusterCollection.Name)]
public class ContactAndOpportunityGrainTests(ClusterFixture fixture)
{
    private IAccountGrain Account(string id) => fixture.Grains.GetGrain<IAccountGrain>(id);

    private IContactGrain ContactGrain(string id) => fixture.Grains.GetGrain<IContactGrain>(id);

    internal static Contact NewContact(string id, string accountId, string reportsTo = "") => new()
    {
        ContactId = id,
        AccountId = accountId,
        DisplayName = "林澄舟",
        Title = "物资部部长",
        OrgUnitId = "wuzi",
        Level = ContactLevel.Management,
        ReportsToContactId = reportsTo,
        RelationshipStrength = RelationshipStrength.Good,
        PersonalProfile = new PersonalProfile { Hometown = "湖南长沙", Sports = ["羽毛球"], FavouriteFood = ["湘菜"] },
        PersonalDataBasis = new PersonalDataBasis
        {
            Purpose = "大客户关系维护", LegalBasis = LegalBasis.Consent,
            ConsentedAt = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero), RetainUntil = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero),
        },
    };

    internal static Opportunity NewOpportunity(string accountId, string id, params BuyingCentreMember[] buyingCentre) => new()
    {
        AccountId = accountId,
        OpportunityId = id,
        Name = "成渝高铁信号系统改造",
        Stage = Stage.NeedsAnalysis,
        Status = OpportunityStatus.Open,
        AmountMinor = 12_000_000_00,
        CurrencyCode = "CNY",
        ProbabilityPercent = 30,
        BuyingCentre = buyingCentre,
    };

    private async Task<string> NewAccountAsync()
    {
        var id = Ids.New("acct");
        await Account(id).CreateAsync(AccountGrainTests.NewAccount(id));
        return id;
    }

    [Fact]
    public async Task A_contact_joins_its_accounts_roster()
    {
        var account = await NewAccountAsync();
        var boss = Ids.New("c");
        var clerk = Ids.New("c");
        await ContactGrain(boss).CreateAsync(NewContact(boss, account));
        await ContactGrain(clerk).CreateAsync(NewContact(clerk, account, reportsTo: boss));

        Assert.Equal(new[] { boss, clerk }.Order(StringComparer.Ordinal), await Account(account).ListContactIdsAsync("", 10));
        Assert.Equal(2, (await Account(account).GetAsync()).ContactCount);
        Assert.Equal("湖南长沙", (await ContactGrain(clerk).GetAsync()).Contact.PersonalProfile.Hometown);
    }

    [Fact]
    public async Task A_contact_on_a_missing_account_or_with_foreign_links_is_refused()
    {
        var account = await NewAccountAsync();
        var c = Ids.New("c");
        Assert.Equal(ErrorKind.FailedPrecondition,
            (await Assert.ThrowsAsync<CrmException>(() => ContactGrain(c).CreateAsync(NewContact(c, Ids.New("ghost"))))).Kind);
        Assert.Equal(ErrorKind.FailedPrecondition,
            (await Assert.ThrowsAsync<CrmException>(() => ContactGrain(c).CreateAsync(NewContact(c, account, reportsTo: Ids.New("ghost"))))).Kind);
        Assert.Equal(ErrorKind.FailedPrecondition,
            (await Assert.ThrowsAsync<CrmException>(() => ContactGrain(c).CreateAsync(NewContact(c, account) with { OrgUnitId = "nope" }))).Kind);
        Assert.Null(await ContactGrain(c).TryGetAsync());
        Assert.Empty(await Account(account).ListContactIdsAsync("", 10));
    }

    [Fact]
    public async Task Deleting_an_account_erases_its_contacts()
    {
        var account = await NewAccountAsync();
        var c = Ids.New("c");
        await ContactGrain(c).CreateAsync(NewContact(c, account));
        await Account(account).DeleteAsync("");

        Assert.Null(await ContactGrain(c).TryGetAsync());
        var stored = fixture.Storage.Peek<ActorCrm.Grains.Contacts.ContactState>("contact", ContactGrain(c).GetGrainId());
        Assert.NotNull(stored);
        Assert.Null(stored.Contact); // the personal profile is gone from storage, not just hidden
    }

    [Fact]
    public async Task Deleting_a_contact_takes_it_off_the_roster_and_out_of_buying_centres()
    {
        var account = await NewAccountAsync();
        var c = Ids.New("c");
        await ContactGrain(c).CreateAsync(NewContact(c, account));
        await Account(account).CreateOpportunityAsync(NewOpportunity(account, "o1", new BuyingCentreMember(c, BuyingRole.DecisionMaker, Stance.Supporter)));

        await ContactGrain(c).DeleteAsync("\"1\"");

        // The roster update is one-way (see ContactGrain.DeleteAsync): wait for it briefly.
        for (var i = 0; i < 50 && (await Account(account).ListContactIdsAsync("", 10)).Count > 0; i++) await Task.Delay(20);
        Assert.Empty(await Account(account).ListContactIdsAsync("", 10));
        Assert.Empty((await Account(account).GetOpportunityAsync("o1")).Opportunity.BuyingCentre);
    }

    [Fact]
    public async Task Opportunities_have_their_own_etags_and_do_not_change_the_accounts()
    {
        var account = await NewAccountAsync();
        var created = await Account(account).CreateOpportunityAsync(NewOpportunity(account, "o1"));
        var updated = await Account(account).UpdateOpportunityAsync(NewOpportunity(account, "o1") with { Stage = Stage.Bidding }, created.Etag);

        Assert.NotEqual(created.Etag, updated.Etag);
        Assert.Equal(1, (await Account(account).GetAsync()).Version);
        var stale = await Assert.ThrowsAsync<CrmException>(() => Account(account).UpdateOpportunityAsync(NewOpportunity(account, "o1"), created.Etag));
        Assert.Equal(ErrorKind.Aborted, stale.Kind);
        Assert.Equal(Stage.Bidding, (await Account(account).GetOpportunityAsync("o1")).Opportunity.Stage);
    }

    [Fact]
    public async Task A_buying_centre_may_only_name_the_accounts_contacts()
    {
        var account = await NewAccountAsync();
        var stranger = new BuyingCentreMember(Ids.New("c"), BuyingRole.Coach, Stance.Neutral);
        var error = await Assert.ThrowsAsync<CrmException>(() => Account(account).CreateOpportunityAsync(NewOpportunity(account, "o1", stranger)));
        Assert.Equal(ErrorKind.FailedPrecondition, error.Kind);
        Assert.Empty(await Account(account).ListOpportunitiesAsync("", 10, OpportunityStatus.Unspecified));
    }

    [Fact]
    public async Task Duplicate_opportunity_ids_are_already_exists()
    {
        var account = await NewAccountAsync();
        await Account(account).CreateOpportunityAsync(NewOpportunity(account, "o1"));
        var error = await Assert.ThrowsAsync<CrmException>(() => Account(account).CreateOpportunityAsync(NewOpportunity(account, "o1")));
        Assert.Equal(ErrorKind.AlreadyExists, error.Kind);
    }

    [Fact]
    public async Task The_timeline_is_newest_first_across_months_and_pages_exactly_once()
    {
        var account = await NewAccountAsync();
        var start = new DateTimeOffset(2025, 6, 1, 9, 0, 0, TimeSpan.Zero);
        // 30 activities spread over ~5 months, logged out of order.
        var activities = Enumerable.Range(0, 30)
            .Select(i => new Activity { AccountId = account, ActivityId = $"a{i:D2}", Type = "visit", OccurredAt = start.AddDays(i * 5) })
            .OrderBy(a => (a.ActivityId[1] * 7 + a.ActivityId[2] * 3) % 11)
            .ToList();
        foreach (var a in activities) await Account(account).LogActivityAsync(a);

        var seen = new List<Activity>();
        ActivityCursor? cursor = null;
        while (true)
        {
            var page = await Account(account).ListActivitiesAsync(cursor, 7);
            seen.AddRange(page);
            if (page.Count < 7) break;
            cursor = ActivityCursor.Of(page[^1]);
        }
        Assert.Equal(Enumerable.Range(0, 30).Reverse().Select(i => $"a{i:D2}"), seen.Select(a => a.ActivityId));
    }

    [Fact]
    public async Task An_activity_id_is_logged_once()
    {
        var account = await NewAccountAsync();
        var activity = new Activity { AccountId = account, ActivityId = "v1", Type = "visit", OccurredAt = fixture.Clock.GetUtcNow() };
        await Account(account).LogActivityAsync(activity);
        var error = await Assert.ThrowsAsync<CrmException>(() => Account(account).LogActivityAsync(activity with { OccurredAt = activity.OccurredAt.AddMonths(-3) }));
        Assert.Equal(ErrorKind.AlreadyExists, error.Kind);
    }

    [Fact]
    public async Task A_month_of_long_activities_is_refused_at_its_size_bound_and_stays_saveable()
    {
        var account = await NewAccountAsync();
        var notes = string.Concat(Enumerable.Repeat("拜访客户，讨论项目进展与采购计划。", 250))[..4000]; // 4,000 characters, 12 KB in UTF-8
        var at = fixture.Clock.GetUtcNow();
        CrmException? refused = null;
        var logged = 0;
        for (var i = 0; i < 200 && refused is null; i++)
        {
            try
            {
                await Account(account).LogActivityAsync(new Activity { AccountId = account, ActivityId = $"long-{i:D3}", Type = "visit", OccurredAt = at, Notes = notes });
                logged++;
            }
            catch (CrmException error)
            {
                refused = error;
            }
        }
        Assert.NotNull(refused);
        Assert.Equal(ErrorKind.FailedPrecondition, refused.Kind);
        Assert.Contains("KB", refused.Message);
        Assert.InRange(logged, 20, 199);
        // Everything accepted is there; another month still has room.
        Assert.Equal(logged, (await Account(account).ListActivitiesAsync(null, 1000)).Count);
        await Account(account).LogActivityAsync(new Activity { AccountId = account, ActivityId = "next-month", Type = "visit", OccurredAt = at.AddMonths(-1), Notes = notes });
    }
}
