using ActorCrm.Api.V1;
using ActorCrm.IntegrationTests.Infrastructure;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace ActorCrm.IntegrationTests.Api;

[Collection(SiloCollection.Name)]
public class AccountApiTests(SiloFactory silo)
{
    private readonly AccountService.AccountServiceClient _accounts = silo.Accounts;

    internal static Account NewAccount(string id, string parent = "", StrategicTier tier = StrategicTier.BureauOrProvince) => new()
    {
        AccountId = id,
        DisplayName = "四川省澄岷交通运输事务中心",
        Kind = AccountKind.Business,
        Tier = tier,
        ParentAccountId = parent,
        Owner = "u-li.na",
        Industry = "公路",
        Region = "四川省",
        AccountTeam = { new TeamMember { UserId = "u-li.na", Role = TeamRole.AccountManager } },
        OrganisationProfile = new OrganisationProfile
        {
            EmployeeCount = 5200,
            YearlyPurchaseVolumeMinor = 80_000_000_00,
            BusinessSituation = "负责全省高速公路建设与养护。\n“十四五”期间投资加大。",
            Units = { new OrganisationUnit { UnitId = "caigou", Name = "物资采购处", Function = OrgUnitFunction.Purchasing } },
            Channels = { new CommunicationChannel { Type = ChannelType.Phone, Value = "028-8888-0000", Label = "办公室" } },
        },
        InstalledBase = { new InstalledBaseItem { Vendor = "我方", IsOurs = true, Product = "桥梁监测系统", Quantity = 12, Satisfaction = 4, Since = new Date { Year = 2021, Month = 3, Day = 1 } } },
        Competitors =
        {
            new CompetitorIntel
            {
                Competitor = "逸帆智能交通科技有限公司", ProductsInUse = { "智慧高速平台" }, CustomerSatisfaction = 3,
                SalesRepName = "柯屿", SalesRepSellingStyle = "关系型，常请客户考察", SalesRepRelationship = "与处长是校友", Background = "央企合作伙伴",
            },
        },
    };

    private Task<Account> Get(string id) => _accounts.GetAccountAsync(new GetAccountRequest { AccountId = id }).ResponseAsync;

    [Fact]
    public async Task Create_get_update_delete_round_trip_with_chinese_text()
    {
        var id = Ids.New("acct");
        var created = await _accounts.CreateAccountAsync(new CreateAccountRequest { Account = NewAccount(id) });
        Assert.Equal("\"1\"", created.Etag);
        Assert.NotNull(created.CreateTime);

        var read = await Get(id);
        var expected = NewAccount(id);
        expected.Etag = read.Etag;
        expected.CreateTime = read.CreateTime;
        expected.UpdateTime = read.UpdateTime;
        expected.Insights = read.Insights; // computed (InsightsTests)
        // Stamped by the silo (StaleIntelTests).
        expected.OrganisationProfile.LastVerifiedTime = read.CreateTime;
        expected.Competitors[0].LastVerifiedTime = read.CreateTime;
        expected.InstalledBaseLastVerifiedTime = read.CreateTime;
        Assert.NotNull(read.Insights);
        Assert.Equal(expected, read); // every field, Chinese text byte for byte

        var patch = new Account { AccountId = id, Etag = read.Etag, DisplayName = "四川省澄岷交通运输事务中心（新）", OrganisationProfile = new OrganisationProfile { EmployeeCount = 6000 } };
        var updated = await _accounts.UpdateAccountAsync(new UpdateAccountRequest
        {
            Account = patch,
            UpdateMask = new FieldMask { Paths = { "display_name", "organisation_profile.employee_count" } },
        });
        Assert.Equal("四川省澄岷交通运输事务中心（新）", updated.DisplayName);
        Assert.Equal(6000, updated.OrganisationProfile.EmployeeCount);
        Assert.Equal(read.OrganisationProfile.BusinessSituation, updated.OrganisationProfile.BusinessSituation); // untouched
        Assert.Equal(read.Competitors, updated.Competitors);
        Assert.NotEqual(read.Etag, updated.Etag);

        await _accounts.DeleteAccountAsync(new DeleteAccountRequest { AccountId = id, Etag = updated.Etag });
        await ApiAssert.FailsWith(StatusCode.NotFound, () => _accounts.GetAccountAsync(new GetAccountRequest { AccountId = id }));
    }

    [Fact]
    public async Task A_stale_etag_is_aborted_and_changes_nothing()
    {
        var id = Ids.New("acct");
        var created = await _accounts.CreateAccountAsync(new CreateAccountRequest { Account = NewAccount(id) });
        await _accounts.UpdateAccountAsync(new UpdateAccountRequest
        {
            Account = new Account { AccountId = id, Etag = created.Etag, Region = "重庆市" },
            UpdateMask = new FieldMask { Paths = { "region" } },
        });
        var before = await Get(id);

        await ApiAssert.FailsWith(StatusCode.Aborted, () => _accounts.UpdateAccountAsync(new UpdateAccountRequest
        {
            Account = new Account { AccountId = id, Etag = created.Etag, Region = "贵州省" },
            UpdateMask = new FieldMask { Paths = { "region" } },
        }));
        Assert.Equal(before, await Get(id));
    }

    [Fact]
    public async Task Invalid_requests_name_the_field_and_change_nothing()
    {
        var id = Ids.New("acct");
        await _accounts.CreateAccountAsync(new CreateAccountRequest { Account = NewAccount(id) });
        var before = await Get(id);

        await ApiAssert.InvalidField("account_id", () => _accounts.GetAccountAsync(new GetAccountRequest { AccountId = "Bad Id" }));
        await ApiAssert.InvalidField("account", () => _accounts.CreateAccountAsync(new CreateAccountRequest()));
        await ApiAssert.InvalidField("account.account_id", () => _accounts.CreateAccountAsync(new CreateAccountRequest { Account = NewAccount("x\u0001y") }));
        var tooLong = NewAccount(Ids.New("acct"));
        tooLong.DisplayName = new string('长', 201);
        await ApiAssert.InvalidField("account.display_name", () => _accounts.CreateAccountAsync(new CreateAccountRequest { Account = tooLong }));
        var unknownEnum = NewAccount(Ids.New("acct"));
        unknownEnum.Tier = (StrategicTier)42;
        await ApiAssert.InvalidField("account.tier", () => _accounts.CreateAccountAsync(new CreateAccountRequest { Account = unknownEnum }));
        var unspecified = NewAccount(Ids.New("acct"));
        unspecified.Kind = AccountKind.Unspecified;
        await ApiAssert.InvalidField("account.kind", () => _accounts.CreateAccountAsync(new CreateAccountRequest { Account = unspecified }));
        var negative = NewAccount(Ids.New("acct"));
        negative.OrganisationProfile.EmployeeCount = -5;
        await ApiAssert.InvalidField("account.organisation_profile.employee_count", () => _accounts.CreateAccountAsync(new CreateAccountRequest { Account = negative }));
        var badDate = NewAccount(Ids.New("acct"));
        badDate.InstalledBase[0].Since = new Date { Year = 2023, Month = 2, Day = 30 };
        await ApiAssert.InvalidField("account.installed_base[0].since", () => _accounts.CreateAccountAsync(new CreateAccountRequest { Account = badDate }));
        var tooMany = NewAccount(Ids.New("acct"));
        for (var i = 0; i < 60; i++) tooMany.AccountTeam.Add(new TeamMember { UserId = $"u{i}", Role = TeamRole.Sales });
        await ApiAssert.InvalidField("account.account_team", () => _accounts.CreateAccountAsync(new CreateAccountRequest { Account = tooMany }));

        // Update: empty mask, missing etag, immutable and unknown paths, invalid new value.
        await ApiAssert.InvalidField("update_mask", () => _accounts.UpdateAccountAsync(new UpdateAccountRequest { Account = new Account { AccountId = id, Etag = before.Etag } }));
        await ApiAssert.InvalidField("account.etag", () => _accounts.UpdateAccountAsync(new UpdateAccountRequest
        {
            Account = new Account { AccountId = id }, UpdateMask = new FieldMask { Paths = { "region" } },
        }));
        foreach (var path in new[] { "account_id", "etag", "contact_count", "no_such_field", "account_team.user_id" })
            await ApiAssert.InvalidField("update_mask", () => _accounts.UpdateAccountAsync(new UpdateAccountRequest
            {
                Account = new Account { AccountId = id, Etag = before.Etag }, UpdateMask = new FieldMask { Paths = { path } },
            }));
        await ApiAssert.InvalidField("account.display_name", () => _accounts.UpdateAccountAsync(new UpdateAccountRequest
        {
            Account = new Account { AccountId = id, Etag = before.Etag, DisplayName = "" }, UpdateMask = new FieldMask { Paths = { "display_name" } },
        }));

        Assert.Equal(before, await Get(id));
    }

    [Fact]
    public async Task Not_found_already_exists_and_failed_precondition()
    {
        var id = Ids.New("acct");
        await ApiAssert.FailsWith(StatusCode.NotFound, () => _accounts.GetAccountAsync(new GetAccountRequest { AccountId = id }));
        await ApiAssert.FailsWith(StatusCode.NotFound, () => _accounts.DeleteAccountAsync(new DeleteAccountRequest { AccountId = id }));
        await ApiAssert.FailsWith(StatusCode.FailedPrecondition,
            () => _accounts.CreateAccountAsync(new CreateAccountRequest { Account = NewAccount(id, parent: Ids.New("ghost")) }));
        await ApiAssert.FailsWith(StatusCode.NotFound, () => _accounts.GetAccountAsync(new GetAccountRequest { AccountId = id }));

        await _accounts.CreateAccountAsync(new CreateAccountRequest { Account = NewAccount(id) });
        var before = await Get(id);
        var duplicate = NewAccount(id);
        duplicate.DisplayName = "另一个名字";
        await ApiAssert.FailsWith(StatusCode.AlreadyExists, () => _accounts.CreateAccountAsync(new CreateAccountRequest { Account = duplicate }));
        Assert.Equal(before, await Get(id));
    }

    [Fact]
    public async Task Re_parenting_through_update_moves_the_account_and_refuses_cycles()
    {
        var hq = Ids.New("hq");
        var bureau = Ids.New("bureau");
        var unit = Ids.New("unit");
        await _accounts.CreateAccountAsync(new CreateAccountRequest { Account = NewAccount(hq, tier: StrategicTier.NationalHq) });
        await _accounts.CreateAccountAsync(new CreateAccountRequest { Account = NewAccount(bureau, parent: hq) });
        var unitAccount = await _accounts.CreateAccountAsync(new CreateAccountRequest { Account = NewAccount(unit, tier: StrategicTier.LocalOrOther) });

        var moved = await _accounts.UpdateAccountAsync(new UpdateAccountRequest
        {
            Account = new Account { AccountId = unit, Etag = unitAccount.Etag, ParentAccountId = bureau },
            UpdateMask = new FieldMask { Paths = { "parent_account_id" } },
        });
        Assert.Equal(bureau, moved.ParentAccountId);

        var hqBefore = await Get(hq);
        await ApiAssert.FailsWith(StatusCode.FailedPrecondition, () => _accounts.UpdateAccountAsync(new UpdateAccountRequest
        {
            Account = new Account { AccountId = hq, Etag = hqBefore.Etag, ParentAccountId = unit },
            UpdateMask = new FieldMask { Paths = { "parent_account_id" } },
        }));
        Assert.Equal(hqBefore, await Get(hq));

        await ApiAssert.FailsWith(StatusCode.FailedPrecondition, () => _accounts.DeleteAccountAsync(new DeleteAccountRequest { AccountId = bureau }));
        var children = await _accounts.ListAccountsAsync(new ListAccountsRequest { ParentAccountId = bureau });
        Assert.Equal(unit, Assert.Single(children.Accounts).AccountId);
    }

    [Fact]
    public async Task Paging_over_260_accounts_returns_each_exactly_once_and_filters_apply()
    {
        var owner = Ids.New("owner");
        var ids = Enumerable.Range(0, 260).Select(i => $"{owner}-{i:D3}").ToList();
        foreach (var batch in ids.Chunk(40))
            await Task.WhenAll(batch.Select(id =>
            {
                var account = NewAccount(id, tier: id.EndsWith('7') ? StrategicTier.NationalHq : StrategicTier.LocalOrOther);
                account.Owner = owner;
                account.DisplayName = id.EndsWith('0') ? $"恒鼎{id}" : $"公路{id}";
                return _accounts.CreateAccountAsync(new CreateAccountRequest { Account = account }).ResponseAsync;
            }));

        var listed = new List<string>();
        var token = "";
        var pages = 0;
        do
        {
            var page = await _accounts.ListAccountsAsync(new ListAccountsRequest { Owner = owner, PageSize = 50, PageToken = token });
            listed.AddRange(page.Accounts.Select(a => a.AccountId));
            token = page.NextPageToken;
            pages++;
        } while (token.Length > 0);

        Assert.Equal(ids, listed);
        Assert.Equal(6, pages);

        var hqs = await _accounts.ListAccountsAsync(new ListAccountsRequest { Owner = owner, Tier = StrategicTier.NationalHq, PageSize = 1000 });
        Assert.Equal(ids.Where(id => id.EndsWith('7')), hqs.Accounts.Select(a => a.AccountId));
        var named = await _accounts.ListAccountsAsync(new ListAccountsRequest { Owner = owner, NamePrefix = "恒鼎", PageSize = 1000 });
        Assert.Equal(ids.Where(id => id.EndsWith('0')), named.Accounts.Select(a => a.AccountId));
    }

    [Fact]
    public async Task Bad_list_requests_are_invalid_argument()
    {
        await ApiAssert.InvalidField("page_size", () => _accounts.ListAccountsAsync(new ListAccountsRequest { PageSize = 5000 }));
        await ApiAssert.InvalidField("page_token", () => _accounts.ListAccountsAsync(new ListAccountsRequest { PageToken = "garbage" }));
        await ApiAssert.InvalidField("tier", () => _accounts.ListAccountsAsync(new ListAccountsRequest { Tier = (StrategicTier)9 }));
    }
}
