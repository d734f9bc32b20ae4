using ActorCrm.Api.V1;
using ActorCrm.IntegrationTests.Infrastructure;
using ActorCrm.Silo.Api;
using Google.Rpc;
using Grpc.Core;

namespace ActorCrm.IntegrationTests.Api;

[Collection(SiloCollection.Name)]
public class BatchCreateAccountsTests(SiloFactory silo)
{
    private readonly AccountService.AccountServiceClient _accounts = silo.Accounts;

    private static CreateAccountRequest Create(Account account) => new() { Account = account };

    [Fact]
    public async Task Each_create_of_a_batch_succeeds_or_fails_on_its_own_with_the_status_CreateAccount_would_answer()
    {
        var existing = Ids.New("batch-old");
        await _accounts.CreateAccountAsync(Create(AccountApiTests.NewAccount(existing)));
        var parent = Ids.New("batch-hq");
        var child = Ids.New("batch-sub");
        var grandchild = Ids.New("batch-subsub");
        var plain = Ids.New("batch-plain");
        var orphan = Ids.New("batch-orphan");
        var invalid = AccountApiTests.NewAccount(Ids.New("batch-bad"));
        invalid.DisplayName = "";

        var request = new BatchCreateAccountsRequest
        {
            Requests =
            {
                Create(AccountApiTests.NewAccount(grandchild, parent: child)), // its parent comes later in the batch
                Create(AccountApiTests.NewAccount(child, parent: parent)),
                Create(AccountApiTests.NewAccount(plain)),
                Create(AccountApiTests.NewAccount(existing)),
                Create(invalid),
                Create(AccountApiTests.NewAccount(orphan, parent: Ids.New("nowhere"))),
                Create(AccountApiTests.NewAccount(parent)),
                Create(AccountApiTests.NewAccount(plain)), // repeated id
                new CreateAccountRequest(), // no account at all
            },
        };
        var response = await _accounts.BatchCreateAccountsAsync(request);

        Assert.Equal(
            [Code.Ok, Code.Ok, Code.Ok, Code.AlreadyExists, Code.InvalidArgument, Code.FailedPrecondition, Code.Ok, Code.InvalidArgument, Code.InvalidArgument],
            response.Results.Select(r => (Code)r.Status.Code));
        Assert.Equal([grandchild, child, plain], response.Results.Take(3).Select(r => r.Account.AccountId));
        Assert.Equal("\"1\"", response.Results[0].Account.Etag);
        Assert.Null(response.Results[3].Account);
        Assert.Contains("account.display_name", FieldsOf(response.Results[4].Status));
        Assert.Contains("account.account_id", FieldsOf(response.Results[7].Status));
        Assert.Contains("account", FieldsOf(response.Results[8].Status));

        // What was created is there, with its hierarchy; what was refused is not.
        Assert.Equal(child, (await _accounts.GetAccountAsync(new GetAccountRequest { AccountId = grandchild })).ParentAccountId);
        var children = await _accounts.ListAccountsAsync(new ListAccountsRequest { ParentAccountId = parent });
        Assert.Equal([child], children.Accounts.Select(a => a.AccountId));
        await ApiAssert.FailsWith(StatusCode.NotFound, () => _accounts.GetAccountAsync(new GetAccountRequest { AccountId = orphan }));
        await ApiAssert.FailsWith(StatusCode.NotFound, () => _accounts.GetAccountAsync(new GetAccountRequest { AccountId = invalid.AccountId }));
    }

    [Fact]
    public async Task An_empty_or_oversized_batch_is_refused_whole()
    {
        await ApiAssert.InvalidField("requests", () => _accounts.BatchCreateAccountsAsync(new BatchCreateAccountsRequest()));
        var tooMany = new BatchCreateAccountsRequest();
        var prefix = Ids.New("batch-many");
        tooMany.Requests.AddRange(Enumerable.Range(0, AccountsApi.MaxBatchCreate + 1).Select(i => Create(AccountApiTests.NewAccount($"{prefix}-{i}"))));
        await ApiAssert.InvalidField("requests", () => _accounts.BatchCreateAccountsAsync(tooMany));
        await ApiAssert.FailsWith(StatusCode.NotFound, () => _accounts.GetAccountAsync(new GetAccountRequest { AccountId = $"{prefix}-0" }));
    }

    [Fact]
    public void Sub_accounts_run_in_a_later_wave_than_their_parent_in_the_batch_and_cycles_are_cut()
    {
        var waves = CreateBatch.Waves([("c", "b"), ("b", "a"), ("a", ""), ("x", "elsewhere"), ("p", "q"), ("q", "p"), ("a", "")]);
        Assert.Equal(3, waves.Count);
        Assert.Equal([2, 3], waves[0].Intersect([2, 3]).Order());
        Assert.Equal([1], waves[1].Where(i => i < 4));
        Assert.Equal([0], waves[2]);
        Assert.DoesNotContain(6, waves.SelectMany(w => w)); // the repeated "a"
        Assert.Equal([4, 5], waves.SelectMany(w => w).Where(i => i is 4 or 5).Order()); // the cycle p ⇄ q still runs (and fails on its own)
        Assert.Equal([6], CreateBatch.Repeats(["c", "b", "a", "x", "p", "q", "a"]));
    }

    private static IEnumerable<string> FieldsOf(Google.Rpc.Status status) =>
        status.Details.Select(d => d.Unpack<BadRequest>()).SelectMany(b => b.FieldViolations).Select(v => v.Field);
}
