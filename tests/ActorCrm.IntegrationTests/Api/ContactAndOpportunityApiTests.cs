using ActorCrm.Api.V1;
using ActorCrm.IntegrationTests.Infrastructure;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace ActorCrm.IntegrationTests.Api;

[Collection(SiloCollection.Name)]
public class ContactAndOpportunityApiTests(SiloFactory silo)
{
    private readonly AccountService.AccountServiceClient _accounts = silo.Accounts;
    private readonly ContactService.ContactServiceClient _contacts = silo.Contacts;
    private readonly OpportunityService.OpportunityServiceClient _opportunities = silo.Opportunities;

    private async Task<string> NewAccountAsync()
    {
        var id = Ids.New("acct");
        await _accounts.CreateAccountAsync(new CreateAccountRequest { Account = AccountApiTests.NewAccount(id) });
        return id;
    }

    internal static Contact NewContact(string id, string accountId) => new()
    {
        ContactId = id,
        AccountId = accountId,
        DisplayName = "欧阳明华",
        Title = "总工程师",
        OrgUnitId = "caigou",
        Level = ContactLevel.Executive,
        RelationshipStrength = RelationshipStrength.Strong,
        Channels = { new CommunicationChannel { Type = ChannelType.Wechat, Value = "ouyang_mh" } },
        PersonalProfile = new PersonalProfile
        {
            Family = "已婚，一个女儿在读高中",
            Hometown = "江西赣州",
            FavouriteBooks = { "《明朝那些事儿》", "《孙子兵法》" },
            University = "岑川交通大学",
            LastVacation = "三亚",
            NextVacationPlan = "国庆去新疆自驾",
            Sports = { "乒乓球" },
            FavouriteRestaurants = { "岑记火锅" },
            FavouriteFood = { "赣南小炒鱼" },
            Notes = "不喝白酒。\n周末常去钓鱼。",
        },
        PersonalDataBasis = Basis(),
    };

    /// <summary>Consent given, kept until 2030: the basis every test profile is held on.</summary>
    internal static PersonalDataBasis Basis() => new()
    {
        Purpose = "大客户关系维护",
        LegalBasis = LegalBasis.Consent,
        ConsentTime = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero)),
        RetentionTime = Timestamp.FromDateTimeOffset(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero)),
    };

    internal static Opportunity NewOpportunity(string accountId, string id) => new()
    {
        AccountId = accountId,
        OpportunityId = id,
        Name = "G93成渝环线高速机电改造",
        ProblemToSolve = "现有监控系统老化，故障率高",
        PurchasingPlan = "2027年上半年公开招标",
        BudgetMinor = 35_000_000_00,
        Timetable = new PurchasingTimetable
        {
            ExpectedDecisionDate = new Date { Year = 2027, Month = 4, Day = 30 },
            Milestones = { new Milestone { Name = "发标", DueDate = new Date { Year = 2027, Month = 2, Day = 15 } } },
        },
        PurchasingProcess = new PurchasingProcess { Method = PurchasingMethod.PublicTender, Steps = { "资格预审", "开标", "评标", "定标" } },
        Stage = Stage.Solution,
        AmountMinor = 32_000_000_00,
        CurrencyCode = "CNY",
        ProbabilityPercent = 40,
        Status = OpportunityStatus.Open,
        Competitors = { "逸帆智能交通科技有限公司" },
    };

    [Fact]
    public async Task Contacts_round_trip_with_personal_profile_and_list_by_account()
    {
        var account = await NewAccountAsync();
        var ids = Enumerable.Range(0, 12).Select(i => $"{account}-c{i:D2}").ToList();
        foreach (var id in ids) await _contacts.CreateContactAsync(new CreateContactRequest { Contact = NewContact(id, account) });

        var read = await _contacts.GetContactAsync(new GetContactRequest { ContactId = ids[0] });
        var expected = NewContact(ids[0], account);
        expected.Etag = read.Etag;
        expected.CreateTime = read.CreateTime;
        expected.UpdateTime = read.UpdateTime;
        expected.PersonalProfile.LastVerifiedTime = read.CreateTime; // stamped by the silo (StaleIntelTests)
        Assert.Equal(expected, read);

        var listed = new List<string>();
        var token = "";
        do
        {
            var page = await _contacts.ListContactsAsync(new ListContactsRequest { AccountId = account, PageSize = 5, PageToken = token });
            listed.AddRange(page.Contacts.Select(c => c.ContactId));
            token = page.NextPageToken;
        } while (token.Length > 0);
        Assert.Equal(ids, listed);
        Assert.Equal(12, (await _accounts.GetAccountAsync(new GetAccountRequest { AccountId = account })).ContactCount);
    }

    [Fact]
    public async Task Contact_update_with_mask_delete_and_errors()
    {
        var account = await NewAccountAsync();
        var id = Ids.New("c");
        var created = await _contacts.CreateContactAsync(new CreateContactRequest { Contact = NewContact(id, account) });

        var updated = await _contacts.UpdateContactAsync(new UpdateContactRequest
        {
            Contact = new Contact { ContactId = id, Etag = created.Etag, PersonalProfile = new PersonalProfile { Hometown = "福建泉州" } },
            UpdateMask = new FieldMask { Paths = { "personal_profile.hometown" } },
        });
        Assert.Equal("福建泉州", updated.PersonalProfile.Hometown);
        Assert.Equal(created.PersonalProfile.FavouriteBooks, updated.PersonalProfile.FavouriteBooks);

        await ApiAssert.FailsWith(StatusCode.Aborted, () => _contacts.UpdateContactAsync(new UpdateContactRequest
        {
            Contact = new Contact { ContactId = id, Etag = created.Etag, Title = "局长" }, UpdateMask = new FieldMask { Paths = { "title" } },
        }));
        await ApiAssert.InvalidField("update_mask", () => _contacts.UpdateContactAsync(new UpdateContactRequest
        {
            Contact = new Contact { ContactId = id, Etag = updated.Etag, AccountId = "other" }, UpdateMask = new FieldMask { Paths = { "account_id" } },
        }));
        await ApiAssert.InvalidField("contact.level", () => _contacts.UpdateContactAsync(new UpdateContactRequest
        {
            Contact = new Contact { ContactId = id, Etag = updated.Etag }, UpdateMask = new FieldMask { Paths = { "level" } },
        }));
        await ApiAssert.FailsWith(StatusCode.FailedPrecondition, () => _contacts.UpdateContactAsync(new UpdateContactRequest
        {
            Contact = new Contact { ContactId = id, Etag = updated.Etag, ReportsToContactId = Ids.New("ghost") },
            UpdateMask = new FieldMask { Paths = { "reports_to_contact_id" } },
        }));
        Assert.Equal(updated, await _contacts.GetContactAsync(new GetContactRequest { ContactId = id }));

        await ApiAssert.FailsWith(StatusCode.AlreadyExists, () => _contacts.CreateContactAsync(new CreateContactRequest { Contact = NewContact(id, account) }));
        await ApiAssert.FailsWith(StatusCode.FailedPrecondition,
            () => _contacts.CreateContactAsync(new CreateContactRequest { Contact = NewContact(Ids.New("c"), Ids.New("ghost")) }));
        await ApiAssert.FailsWith(StatusCode.NotFound, () => _contacts.ListContactsAsync(new ListContactsRequest { AccountId = Ids.New("ghost") }));
        var noProfile = NewContact(Ids.New("c"), account);
        noProfile.PersonalProfile.Notes = new string('注', 2001);
        await ApiAssert.InvalidField("contact.personal_profile.notes", () => _contacts.CreateContactAsync(new CreateContactRequest { Contact = noProfile }));

        await _contacts.DeleteContactAsync(new DeleteContactRequest { ContactId = id, Etag = updated.Etag });
        await ApiAssert.FailsWith(StatusCode.NotFound, () => _contacts.GetContactAsync(new GetContactRequest { ContactId = id }));
    }

    [Fact]
    public async Task Opportunities_crud_with_buying_centre_and_errors()
    {
        var account = await NewAccountAsync();
        var contact = Ids.New("c");
        await _contacts.CreateContactAsync(new CreateContactRequest { Contact = NewContact(contact, account) });

        var opportunity = NewOpportunity(account, "g93");
        opportunity.BuyingCentre.Add(new BuyingCentreMember { ContactId = contact, Role = BuyingRole.DecisionMaker, Stance = Stance.Supporter });
        var created = await _opportunities.CreateOpportunityAsync(new CreateOpportunityRequest { Opportunity = opportunity });
        var read = await _opportunities.GetOpportunityAsync(new GetOpportunityRequest { AccountId = account, OpportunityId = "g93" });
        Assert.Equal(created, read);
        Assert.Equal("G93成渝环线高速机电改造", read.Name);

        var won = await _opportunities.UpdateOpportunityAsync(new UpdateOpportunityRequest
        {
            Opportunity = new Opportunity { AccountId = account, OpportunityId = "g93", Etag = read.Etag, Stage = Stage.Closed, Status = OpportunityStatus.Won, ProbabilityPercent = 100 },
            UpdateMask = new FieldMask { Paths = { "stage", "status", "probability_percent" } },
        });
        Assert.Equal(OpportunityStatus.Won, won.Status);
        Assert.Equal(read.BuyingCentre, won.BuyingCentre);

        // Errors, each leaving the opportunity as it was.
        await ApiAssert.FailsWith(StatusCode.AlreadyExists, () => _opportunities.CreateOpportunityAsync(new CreateOpportunityRequest { Opportunity = NewOpportunity(account, "g93") }));
        await ApiAssert.FailsWith(StatusCode.NotFound, () => _opportunities.CreateOpportunityAsync(new CreateOpportunityRequest { Opportunity = NewOpportunity(Ids.New("ghost"), "g93") }));
        var negative = NewOpportunity(account, "neg");
        negative.AmountMinor = -100;
        await ApiAssert.InvalidField("opportunity.amount_minor", () => _opportunities.CreateOpportunityAsync(new CreateOpportunityRequest { Opportunity = negative }));
        var badRole = NewOpportunity(account, "role");
        badRole.BuyingCentre.Add(new BuyingCentreMember { ContactId = contact, Role = BuyingRole.Unspecified, Stance = Stance.Neutral });
        await ApiAssert.InvalidField("opportunity.buying_centre[0].role", () => _opportunities.CreateOpportunityAsync(new CreateOpportunityRequest { Opportunity = badRole }));
        var stranger = NewOpportunity(account, "stranger");
        stranger.BuyingCentre.Add(new BuyingCentreMember { ContactId = Ids.New("ghost"), Role = BuyingRole.Coach, Stance = Stance.Neutral });
        await ApiAssert.FailsWith(StatusCode.FailedPrecondition, () => _opportunities.CreateOpportunityAsync(new CreateOpportunityRequest { Opportunity = stranger }));
        await ApiAssert.FailsWith(StatusCode.Aborted, () => _opportunities.UpdateOpportunityAsync(new UpdateOpportunityRequest
        {
            Opportunity = new Opportunity { AccountId = account, OpportunityId = "g93", Etag = read.Etag, Stage = Stage.Lead },
            UpdateMask = new FieldMask { Paths = { "stage" } },
        }));
        Assert.Equal(won, await _opportunities.GetOpportunityAsync(new GetOpportunityRequest { AccountId = account, OpportunityId = "g93" }));

        var all = await _opportunities.ListOpportunitiesAsync(new ListOpportunitiesRequest { AccountId = account });
        Assert.Equal("g93", Assert.Single(all.Opportunities).OpportunityId);
        var open = await _opportunities.ListOpportunitiesAsync(new ListOpportunitiesRequest { AccountId = account, Status = OpportunityStatus.Open });
        Assert.Empty(open.Opportunities);

        await _opportunities.DeleteOpportunityAsync(new DeleteOpportunityRequest { AccountId = account, OpportunityId = "g93", Etag = won.Etag });
        await ApiAssert.FailsWith(StatusCode.NotFound, () => _opportunities.GetOpportunityAsync(new GetOpportunityRequest { AccountId = account, OpportunityId = "g93" }));
    }

    [Fact]
    public async Task Activities_are_logged_and_listed_newest_first()
    {
        var account = await NewAccountAsync();
        var contact = Ids.New("c");
        await _contacts.CreateContactAsync(new CreateContactRequest { Contact = NewContact(contact, account) });
        var start = new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);
        string[] types = ["visit", "technical_exchange", "site_visit", "product_demo", "business_event"];
        for (var i = 0; i < 15; i++)
            await _opportunities.LogActivityAsync(new LogActivityRequest
            {
                Activity = new Activity
                {
                    AccountId = account, ActivityId = $"act-{i:D2}", Type = types[i % types.Length],
                    OccurredAt = Timestamp.FromDateTimeOffset(start.AddDays(i * 9)), ContactIds = { contact },
                    Subject = "拜访物资处", Notes = "讨论明年招标计划",
                },
            });

        var listed = new List<string>();
        var token = "";
        do
        {
            var page = await _opportunities.ListActivitiesAsync(new ListActivitiesRequest { AccountId = account, PageSize = 4, PageToken = token });
            listed.AddRange(page.Activities.Select(a => a.ActivityId));
            token = page.NextPageToken;
        } while (token.Length > 0);
        Assert.Equal(Enumerable.Range(0, 15).Reverse().Select(i => $"act-{i:D2}"), listed);

        var unknownType = new Activity { AccountId = account, ActivityId = "x", Type = "karaoke", OccurredAt = Timestamp.FromDateTimeOffset(start) };
        await ApiAssert.InvalidField("activity.type", () => _opportunities.LogActivityAsync(new LogActivityRequest { Activity = unknownType }));
        var noTime = new Activity { AccountId = account, ActivityId = "y", Type = "visit" };
        await ApiAssert.InvalidField("activity.occurred_at", () => _opportunities.LogActivityAsync(new LogActivityRequest { Activity = noTime }));
        var duplicate = new Activity { AccountId = account, ActivityId = "act-03", Type = "visit", OccurredAt = Timestamp.FromDateTimeOffset(start) };
        await ApiAssert.FailsWith(StatusCode.AlreadyExists, () => _opportunities.LogActivityAsync(new LogActivityRequest { Activity = duplicate }));
        var stranger = new Activity { AccountId = account, ActivityId = "z", Type = "visit", OccurredAt = Timestamp.FromDateTimeOffset(start), ContactIds = { Ids.New("ghost") } };
        await ApiAssert.FailsWith(StatusCode.FailedPrecondition, () => _opportunities.LogActivityAsync(new LogActivityRequest { Activity = stranger }));
        Assert.Equal(15, (await _opportunities.ListActivitiesAsync(new ListActivitiesRequest { AccountId = account, PageSize = 100 })).Activities.Count);
    }
}
