using ActorCrm.Api;
using ActorCrm.Api.V1;
using ActorCrm.IntegrationTests.Api;
using ActorCrm.IntegrationTests.Infrastructure;
using ActorCrm.Silo.Security;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace ActorCrm.IntegrationTests.Security;

/// <summary>Who may call what, on which accounts: every role against every method, then scoping, tokens and refusals.</summary>
public class AccessControlTests(SecuritySiloFactory silo) : IClassFixture<SecuritySiloFactory>
{
    public enum Outcome { Allowed, Denied }

    private const Outcome A = Outcome.Allowed, D = Outcome.Denied;

    /// <summary>
    /// Method → expected outcome for admin, sales_director, analyst, account_manager (on an account
    /// it owns), scoped service (on an account under its root). Each call aims at an account the
    /// caller may see, so a denial here is about the method, never the account.
    /// </summary>
    public static TheoryData<string, Outcome, Outcome, Outcome, Outcome, Outcome> Matrix => new()
    {
        { "GetAccount", A, A, A, A, A },
        { "ListAccounts", A, A, A, A, A },
        { "WatchAccount", A, A, A, A, A },
        { "CreateAccount", A, A, D, A, A },
        { "BatchCreateAccounts", A, A, D, A, A },
        { "UpdateAccount", A, A, D, A, A },
        { "DeleteAccount", A, A, D, A, A },
        { "ConfirmIntel", A, A, D, A, A },
        { "GetContact", A, A, A, A, A },
        { "ListContacts", A, A, A, A, A },
        { "CreateContact", A, A, D, A, A },
        { "UpdateContact", A, A, D, A, A },
        { "DeleteContact", A, A, D, A, A },
        { "ErasePersonalData", A, A, D, A, D },
        { "GetOpportunity", A, A, A, A, A },
        { "ListOpportunities", A, A, A, A, A },
        { "CreateOpportunity", A, A, D, A, A },
        { "UpdateOpportunity", A, A, D, A, A },
        { "DeleteOpportunity", A, A, D, A, A },
        { "LogActivity", A, A, D, A, A },
        { "ListActivities", A, A, A, A, A },
        { "GetPipelineSummary", A, A, A, A, A },
        { "RecordRevenue", A, A, D, D, A },
        { "IngestRevenue", A, A, D, D, A },
        { "ListRevenueEvents", A, A, A, A, A },
        { "GetConcentration", A, A, A, A, D },
        { "ListTopAccounts", A, A, A, A, D },
        { "GetAccountRank", A, A, A, A, D },
        { "WhatIf", A, A, A, A, D },
        { "GetConcentrationHistory", A, A, A, A, D },
        { "WatchConcentration", A, A, A, A, D },
        { "ListAuditEvents", A, D, D, D, D },
        { "ServerReflectionInfo", A, D, D, D, D },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Each_role_may_call_exactly_its_methods(string method, Outcome admin, Outcome director, Outcome analyst, Outcome manager, Outcome service)
    {
        await Expect(method, admin, TestKeys.Admin, "mgr-own");
        await Expect(method, director, TestKeys.Director, "mgr-own");
        await Expect(method, analyst, TestKeys.Analyst, "mgr-own");
        await Expect(method, manager, TestKeys.Manager, "mgr-own");
        await Expect(method, service, TestKeys.ScopedService, "scope-root");
    }

    [Fact]
    public void The_matrix_covers_every_method_of_the_api()
    {
        var services = new[] { AccountService.Descriptor, ContactService.Descriptor, OpportunityService.Descriptor,
            RevenueService.Descriptor, RankingService.Descriptor, AuditService.Descriptor };
        var methods = services.SelectMany(s => s.Methods).Select(m => m.Name).ToHashSet();
        var tested = Matrix.Select(row => (string)row[0]).ToHashSet();
        Assert.Empty(methods.Except(tested));
        // And the policy lists every one of them (an unlisted method would need Administer).
        Assert.Empty(services.SelectMany(s => s.Methods.Select(m => $"/{s.FullName}/{m.Name}")).Except(AccessPolicy.ListedMethods));
    }

    private async Task Expect(string method, Outcome expected, string apiKey, string accountId)
    {
        using var channel = silo.As(apiKey);
        var status = await StatusOf(() => Call(method, channel, accountId, silo.Contacts));
        var denied = status == StatusCode.PermissionDenied;
        Assert.True(denied == (expected == Outcome.Denied), $"{method} as {apiKey} on {accountId}: expected {expected}, got {status}");
        Assert.NotEqual(StatusCode.Unauthenticated, status);
    }

    private static async Task<StatusCode> StatusOf(Func<Task> call)
    {
        try
        {
            await call();
            return StatusCode.OK;
        }
        catch (RpcException error)
        {
            return error.StatusCode;
        }
    }

    /// <summary>One call of the method about the account (ids of things that may not exist are fine: only a denial counts).</summary>
    private static async Task Call(string method, GrpcChannel channel, string accountId, ContactService.ContactServiceClient admin)
    {
        var accounts = new AccountService.AccountServiceClient(channel);
        var contacts = new ContactService.ContactServiceClient(channel);
        var opportunities = new OpportunityService.OpportunityServiceClient(channel);
        var revenue = new RevenueService.RevenueServiceClient(channel);
        var ranking = new RankingService.RankingServiceClient(channel);
        var fresh = Ids.New("t");
        var contactId = accountId == "mgr-own" ? SecuritySiloFactory.OwnContact : SecuritySiloFactory.ScopeContact;
        // Changes go to a contact of their own, created by the admin on the account.
        async Task<Contact> FreshContactAsync() => await admin.CreateContactAsync(new CreateContactRequest
        {
            Contact = ContactAndOpportunityApiTests.NewContact(Ids.New("c"), accountId),
        });
        var revenueEvent = new RevenueEvent { EventId = fresh, AccountId = accountId, AmountMinor = 100, CurrencyCode = "CNY", OccurredAt = Timestamp.FromDateTime(DateTime.UtcNow) };
        var ownAccount = AccountApiTests.NewAccount(fresh, accountId);
        switch (method)
        {
            case "GetAccount": await accounts.GetAccountAsync(new GetAccountRequest { AccountId = accountId }); break;
            case "ListAccounts": await accounts.ListAccountsAsync(new ListAccountsRequest()); break;
            case "WatchAccount": await FirstMessage(accounts.WatchAccount(new WatchAccountRequest { AccountId = accountId })); break;
            case "CreateAccount": await accounts.CreateAccountAsync(new CreateAccountRequest { Account = ownAccount }); break;
            case "BatchCreateAccounts":
                var batch = await accounts.BatchCreateAccountsAsync(new BatchCreateAccountsRequest { Requests = { new CreateAccountRequest { Account = ownAccount } } });
                if (batch.Results[0].Status.Code != 0) throw new RpcException(new Status((StatusCode)batch.Results[0].Status.Code, batch.Results[0].Status.Message));
                break;
            case "UpdateAccount":
                var account = await new AccountService.AccountServiceClient(channel).GetAccountAsync(new GetAccountRequest { AccountId = accountId });
                await accounts.UpdateAccountAsync(new UpdateAccountRequest { Account = new Account { AccountId = accountId, Etag = account.Etag, Region = "华北" }, UpdateMask = new FieldMask { Paths = { "region" } } });
                break;
            case "ConfirmIntel":
                await accounts.ConfirmIntelAsync(new ConfirmIntelRequest { AccountId = accountId, Sections = { new IntelSection { Kind = IntelSectionKind.OrganisationProfile } } });
                break;
            case "DeleteAccount": await accounts.DeleteAccountAsync(new DeleteAccountRequest { AccountId = accountId, Etag = "0" }); break;
            case "GetContact": await contacts.GetContactAsync(new GetContactRequest { ContactId = contactId }); break;
            case "ListContacts": await contacts.ListContactsAsync(new ListContactsRequest { AccountId = accountId }); break;
            case "CreateContact":
                var contact = ContactAndOpportunityApiTests.NewContact(fresh, accountId);
                contact.PersonalProfile = null;
                await contacts.CreateContactAsync(new CreateContactRequest { Contact = contact });
                break;
            case "UpdateContact":
                var toUpdate = await FreshContactAsync();
                await contacts.UpdateContactAsync(new UpdateContactRequest { Contact = new Contact { ContactId = toUpdate.ContactId, Etag = toUpdate.Etag, Title = "处长" }, UpdateMask = new FieldMask { Paths = { "title" } } });
                break;
            case "DeleteContact": await contacts.DeleteContactAsync(new DeleteContactRequest { ContactId = (await FreshContactAsync()).ContactId }); break;
            case "ErasePersonalData": await contacts.ErasePersonalDataAsync(new ErasePersonalDataRequest { ContactId = (await FreshContactAsync()).ContactId }); break;
            case "GetOpportunity": await opportunities.GetOpportunityAsync(new GetOpportunityRequest { AccountId = accountId, OpportunityId = "none" }); break;
            case "ListOpportunities": await opportunities.ListOpportunitiesAsync(new ListOpportunitiesRequest { AccountId = accountId }); break;
            case "CreateOpportunity": await opportunities.CreateOpportunityAsync(new CreateOpportunityRequest { Opportunity = ContactAndOpportunityApiTests.NewOpportunity(accountId, fresh) }); break;
            case "UpdateOpportunity": await opportunities.UpdateOpportunityAsync(new UpdateOpportunityRequest { Opportunity = new Opportunity { AccountId = accountId, OpportunityId = "none", Etag = "0" }, UpdateMask = new FieldMask { Paths = { "name" } } }); break;
            case "DeleteOpportunity": await opportunities.DeleteOpportunityAsync(new DeleteOpportunityRequest { AccountId = accountId, OpportunityId = "none" }); break;
            case "LogActivity": await opportunities.LogActivityAsync(new LogActivityRequest { Activity = new Activity { AccountId = accountId, ActivityId = fresh } }); break;
            case "ListActivities": await opportunities.ListActivitiesAsync(new ListActivitiesRequest { AccountId = accountId }); break;
            case "GetPipelineSummary": await opportunities.GetPipelineSummaryAsync(new GetPipelineSummaryRequest { AccountId = accountId }); break;
            case "RecordRevenue":
                var recorded = await revenue.RecordRevenueAsync(new RecordRevenueRequest { Events = { revenueEvent } });
                if (recorded.Results[0].ReasonCode == "PERMISSION_DENIED") throw new RpcException(new Status(StatusCode.PermissionDenied, "event refused"));
                break;
            case "IngestRevenue":
                using (var stream = revenue.IngestRevenue())
                {
                    await WriteThenCompleteAsync(stream.RequestStream, new RecordRevenueRequest { Events = { revenueEvent } });
                    while (await stream.ResponseStream.MoveNext(CancellationToken.None)) { }
                }
                break;
            case "ListRevenueEvents": await revenue.ListRevenueEventsAsync(new ListRevenueEventsRequest { AccountId = accountId }); break;
            case "GetConcentration": await ranking.GetConcentrationAsync(new GetConcentrationRequest()); break;
            case "ListTopAccounts": await ranking.ListTopAccountsAsync(new ListTopAccountsRequest()); break;
            case "GetAccountRank": await ranking.GetAccountRankAsync(new GetAccountRankRequest { AccountId = accountId }); break;
            case "WhatIf": await ranking.WhatIfAsync(new WhatIfRequest { RemoveAccountIds = { accountId } }); break;
            case "GetConcentrationHistory": await ranking.GetConcentrationHistoryAsync(new GetConcentrationHistoryRequest()); break;
            case "WatchConcentration": await FirstMessage(ranking.WatchConcentration(new WatchConcentrationRequest())); break;
            case "ListAuditEvents": await new AuditService.AuditServiceClient(channel).ListAuditEventsAsync(new ListAuditEventsRequest()); break;
            case "ServerReflectionInfo":
                using (var call = new Grpc.Reflection.V1Alpha.ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo())
                {
                    await WriteThenCompleteAsync(call.RequestStream, new Grpc.Reflection.V1Alpha.ServerReflectionRequest { ListServices = "" });
                    await call.ResponseStream.MoveNext(CancellationToken.None);
                }
                break;
            default: throw new ArgumentException($"no call for {method}");
        }
    }

    /// <summary>
    /// A refused duplex call may end before the client's write lands (the write then fails as
    /// cancelled): the call's real status is what the response stream reports next.
    /// </summary>
    private static async Task WriteThenCompleteAsync<T>(IClientStreamWriter<T> requests, T message)
    {
        try
        {
            await requests.WriteAsync(message);
            await requests.CompleteAsync();
        }
        catch (RpcException)
        {
        }
        catch (InvalidOperationException)
        {
        }
    }

    private static async Task FirstMessage<T>(AsyncServerStreamingCall<T> call)
    {
        using (call) await call.ResponseStream.MoveNext(CancellationToken.None);
    }

    // ---------------------------------------------------------------- scoping

    [Theory]
    [InlineData("mgr-own", true)]
    [InlineData("mgr-own-sub", true)]   // below an account the manager owns
    [InlineData("mgr-team", true)]      // on the account team
    [InlineData("other-acct", false)]
    [InlineData("scope-root", false)]
    [InlineData("no-such-account", false)] // PERMISSION_DENIED, not NOT_FOUND: a denial tells nothing about existence
    public async Task An_account_manager_sees_the_accounts_of_their_teams_and_below(string accountId, bool visible)
    {
        using var channel = silo.As(TestKeys.Manager);
        var status = await StatusOf(async () => await new AccountService.AccountServiceClient(channel).GetAccountAsync(new GetAccountRequest { AccountId = accountId }));
        Assert.Equal(visible ? StatusCode.OK : StatusCode.PermissionDenied, status);
    }

    [Fact]
    public async Task Lists_show_a_scoped_caller_only_its_accounts()
    {
        using var manager = silo.As(TestKeys.Manager);
        var managerIds = await ListAllAsync(manager);
        Assert.Contains("mgr-own", managerIds);
        Assert.Contains("mgr-own-sub", managerIds);
        Assert.Contains("mgr-team", managerIds);
        Assert.DoesNotContain("other-acct", managerIds);
        Assert.DoesNotContain("scope-root", managerIds);

        using var service = silo.As(TestKeys.ScopedService);
        var serviceIds = await ListAllAsync(service);
        Assert.Contains("scope-root", serviceIds);
        Assert.Contains("scope-child", serviceIds);
        Assert.DoesNotContain("mgr-own", serviceIds);

        using var director = silo.As(TestKeys.Director);
        Assert.Contains("other-acct", await ListAllAsync(director));
    }

    private static async Task<List<string>> ListAllAsync(GrpcChannel channel)
    {
        var client = new AccountService.AccountServiceClient(channel);
        var ids = new List<string>();
        var token = "";
        do
        {
            var page = await client.ListAccountsAsync(new ListAccountsRequest { PageSize = 2, PageToken = token });
            ids.AddRange(page.Accounts.Select(a => a.AccountId));
            token = page.NextPageToken;
        } while (token.Length > 0);
        return ids;
    }

    [Fact]
    public async Task A_scoped_service_records_revenue_only_for_its_accounts()
    {
        using var service = silo.As(TestKeys.ScopedService);
        var response = await new RevenueService.RevenueServiceClient(service).RecordRevenueAsync(new RecordRevenueRequest
        {
            Events =
            {
                new RevenueEvent { EventId = Ids.New("e"), AccountId = "scope-child", AmountMinor = 100, CurrencyCode = "CNY", OccurredAt = Timestamp.FromDateTime(DateTime.UtcNow.Date) },
                new RevenueEvent { EventId = Ids.New("e"), AccountId = "other-acct", AmountMinor = 100, CurrencyCode = "CNY", OccurredAt = Timestamp.FromDateTime(DateTime.UtcNow.Date) },
            },
        });
        Assert.NotEqual("PERMISSION_DENIED", response.Results[0].ReasonCode);
        Assert.Equal(RevenueEventStatus.Rejected, response.Results[1].Status);
        Assert.Equal("PERMISSION_DENIED", response.Results[1].ReasonCode);
    }

    [Fact]
    public async Task A_manager_cannot_move_an_account_under_one_they_cannot_see()
    {
        using var manager = silo.As(TestKeys.Manager);
        var client = new AccountService.AccountServiceClient(manager);
        var id = Ids.New("mine");
        var account = AccountApiTests.NewAccount(id);
        account.Owner = TestKeys.ManagerUserId;
        var created = await client.CreateAccountAsync(new CreateAccountRequest { Account = account });
        await ApiAssert.FailsWith(StatusCode.PermissionDenied, () => client.UpdateAccountAsync(new UpdateAccountRequest
        {
            Account = new Account { AccountId = id, Etag = created.Etag, ParentAccountId = "other-acct" },
            UpdateMask = new FieldMask { Paths = { "parent_account_id" } },
        }));
        // A top-level account they are not on is refused too.
        await ApiAssert.FailsWith(StatusCode.PermissionDenied, () => client.CreateAccountAsync(new CreateAccountRequest { Account = AccountApiTests.NewAccount(Ids.New("not-mine")) }));
    }

    [Fact]
    public async Task A_scoped_caller_gets_the_pipeline_of_what_it_may_see_only()
    {
        var deal = Ids.New("pipe");
        foreach (var (account, amount) in new[] { ("mgr-own-sub", 1_111L), ("other-acct", 7_777L) })
        {
            var opportunity = ContactAndOpportunityApiTests.NewOpportunity(account, deal);
            opportunity.AmountMinor = amount;
            await silo.Opportunities.CreateOpportunityAsync(new CreateOpportunityRequest { Opportunity = opportunity });
        }
        using var channel = silo.As(TestKeys.Manager);
        var manager = new OpportunityService.OpportunityServiceClient(channel);
        var admin = silo.Opportunities;
        async Task<long> OpenAmount(OpportunityService.OpportunityServiceClient client, GetPipelineSummaryRequest request) =>
            (await client.GetPipelineSummaryAsync(request)).OpenAmountMinor;

        // A group they may see: all of it (the sub-account owned by someone else included).
        Assert.Equal(await OpenAmount(admin, new() { AccountId = "mgr-own" }), await OpenAmount(manager, new() { AccountId = "mgr-own" }));
        Assert.True(await OpenAmount(manager, new() { AccountId = "mgr-own" }) >= 1_111);
        // Another owner: only that owner's accounts they may see (u-zhou owns mgr-own-sub and mgr-team, but also other-acct and scope-child).
        Assert.Equal(await OpenAmount(admin, new() { AccountId = "mgr-own-sub" }) + await OpenAmount(admin, new() { AccountId = "mgr-team" }),
            await OpenAmount(manager, new() { Owner = "u-zhou" }));
        Assert.True(await OpenAmount(admin, new() { Owner = "u-zhou" }) >= await OpenAmount(manager, new() { Owner = "u-zhou" }) + 7_777);
        // Outside their scope, existing or not, and all: PERMISSION_DENIED.
        await ApiAssert.FailsWith(StatusCode.PermissionDenied, () => manager.GetPipelineSummaryAsync(new GetPipelineSummaryRequest { AccountId = "other-acct" }));
        await ApiAssert.FailsWith(StatusCode.PermissionDenied, () => manager.GetPipelineSummaryAsync(new GetPipelineSummaryRequest { AccountId = "no-such-account" }));
        await ApiAssert.FailsWith(StatusCode.PermissionDenied, () => manager.GetPipelineSummaryAsync(new GetPipelineSummaryRequest { All = true }));
        Assert.True(await OpenAmount(admin, new() { All = true }) >= 1_111 + 7_777);
    }

    // ---------------------------------------------------------------- authentication

    [Fact]
    public async Task A_call_without_valid_credentials_is_unauthenticated_and_health_stays_open()
    {
        using var none = silo.ChannelAs(null);
        await ApiAssert.FailsWith(StatusCode.Unauthenticated, () => new AccountService.AccountServiceClient(none).GetAccountAsync(new GetAccountRequest { AccountId = "mgr-own" }));
        using var wrong = silo.As("not-a-key");
        await ApiAssert.FailsWith(StatusCode.Unauthenticated, () => new AccountService.AccountServiceClient(wrong).GetAccountAsync(new GetAccountRequest { AccountId = "mgr-own" }));
        using var expired = silo.ChannelAs(ActorCrmCredentials.Bearer(SecuritySiloFactory.Token(TestKeys.ManagerUserId, "account_manager", DateTime.UtcNow.AddHours(-1))));
        await ApiAssert.FailsWith(StatusCode.Unauthenticated, () => new AccountService.AccountServiceClient(expired).GetAccountAsync(new GetAccountRequest { AccountId = "mgr-own" }));
        using var foreign = silo.ChannelAs(ActorCrmCredentials.Bearer(SecuritySiloFactory.Token(TestKeys.ManagerUserId, "admin", issuer: "https://evil.example")));
        await ApiAssert.FailsWith(StatusCode.Unauthenticated, () => new AccountService.AccountServiceClient(foreign).GetAccountAsync(new GetAccountRequest { AccountId = "mgr-own" }));

        var health = await new Health.HealthClient(none).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    [Fact]
    public async Task A_person_signs_in_with_a_bearer_token_and_gets_their_role_and_scope()
    {
        using var manager = silo.ChannelAs(ActorCrmCredentials.Bearer(SecuritySiloFactory.Token(TestKeys.ManagerUserId, "account_manager")));
        var client = new AccountService.AccountServiceClient(manager);
        Assert.Equal("mgr-own", (await client.GetAccountAsync(new GetAccountRequest { AccountId = "mgr-own" })).AccountId);
        await ApiAssert.FailsWith(StatusCode.PermissionDenied, () => client.GetAccountAsync(new GetAccountRequest { AccountId = "other-acct" }));

        using var analyst = silo.ChannelAs(ActorCrmCredentials.Bearer(SecuritySiloFactory.Token("u-analyst", "analyst")));
        await ApiAssert.FailsWith(StatusCode.PermissionDenied, () => new AccountService.AccountServiceClient(analyst)
            .CreateAccountAsync(new CreateAccountRequest { Account = AccountApiTests.NewAccount(Ids.New("x")) }));
    }
}

/// <summary>Streams show a scoped caller only what it may see, for as long as it may see it.</summary>
public class StreamScopingTests(SecuritySiloFactory silo) : IClassFixture<SecuritySiloFactory>
{
    [Fact]
    public async Task Concentration_rows_are_filtered_and_an_account_watch_ends_when_access_does()
    {
        // Revenue on a visible and an invisible account, so both are among the top rows.
        var today = Timestamp.FromDateTimeOffset(silo.Clock.GetUtcNow());
        await silo.Revenue.RecordRevenueAsync(new RecordRevenueRequest
        {
            Events =
            {
                new RevenueEvent { EventId = Ids.New("e"), AccountId = "mgr-own", AmountMinor = 500_00, CurrencyCode = "CNY", OccurredAt = today },
                new RevenueEvent { EventId = Ids.New("e"), AccountId = "other-acct", AmountMinor = 900_00, CurrencyCode = "CNY", OccurredAt = today },
            },
        });
        using var manager = silo.As(TestKeys.Manager);
        var ranking = new RankingService.RankingServiceClient(manager);
        using (var watch = ranking.WatchConcentration(new WatchConcentrationRequest { TopLimit = 50, MinIntervalMs = 50 }))
        {
            ConcentrationUpdate update;
            do
            {
                Assert.True(await watch.ResponseStream.MoveNext(CancellationToken.None));
                update = watch.ResponseStream.Current;
            } while (update.TopAccounts.All(r => r.AccountId != "mgr-own"));
            Assert.DoesNotContain(update.TopAccounts, r => r.AccountId == "other-acct");
            Assert.True(update.Concentration.AccountCount >= 2); // the figures stay global
        }
        var page = await ranking.ListTopAccountsAsync(new ListTopAccountsRequest { PageSize = 100 });
        var own = Assert.Single(page.Rows, r => r.AccountId == "mgr-own");
        Assert.DoesNotContain(page.Rows, r => r.AccountId == "other-acct");
        Assert.True(own.Rank >= 2); // other-acct (900) ranks above it and is left out: the rank stays global

        await ApiAssert.StreamFailsWith(StatusCode.PermissionDenied,
            () => new AccountService.AccountServiceClient(manager).WatchAccount(new WatchAccountRequest { AccountId = "other-acct" }));

        // Watching an account of theirs until they leave its team: the stream then ends with PERMISSION_DENIED.
        var id = Ids.New("team-watch");
        var account = AccountApiTests.NewAccount(id);
        account.Owner = "u-zhou";
        account.AccountTeam.Add(new TeamMember { UserId = TestKeys.ManagerUserId, Role = TeamRole.AccountManager });
        var created = await silo.Accounts.CreateAccountAsync(new CreateAccountRequest { Account = account });
        using var accountWatch = new AccountService.AccountServiceClient(manager).WatchAccount(new WatchAccountRequest { AccountId = id });
        Assert.True(await accountWatch.ResponseStream.MoveNext(CancellationToken.None));
        await silo.Accounts.UpdateAccountAsync(new UpdateAccountRequest
        {
            Account = new Account { AccountId = id, Etag = created.Etag, AccountTeam = { new TeamMember { UserId = "u-wu", Role = TeamRole.AccountManager } } },
            UpdateMask = new FieldMask { Paths = { "account_team" } },
        });
        var error = await Assert.ThrowsAsync<RpcException>(async () => { while (await accountWatch.ResponseStream.MoveNext(CancellationToken.None)) { } });
        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }
}
