using ActorCrm.Api.V1;
using ActorCrm.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ActorCrm.IntegrationTests.Api;

/// <summary>A silo of its own: the test counts every account activation on it.</summary>
public sealed class ListViewSiloFactory : SiloFactory;

/// <summary>ListAccounts BASIC rows come from the directory and load no account; FULL rows are GetAccount's.</summary>
public class ListAccountsViewTests(ListViewSiloFactory silo) : IClassFixture<ListViewSiloFactory>
{
    [Fact]
    public async Task A_basic_page_activates_no_account_and_a_full_page_returns_every_field()
    {
        var owner = Ids.New("lister");
        var ids = Enumerable.Range(0, 30).Select(i => $"{owner}-{i:D2}").ToList();
        var batch = new BatchCreateAccountsRequest();
        batch.Requests.AddRange(ids.Select(id =>
        {
            var account = AccountApiTests.NewAccount(id);
            account.Owner = owner;
            account.DisplayName = $"恒鼎{id}";
            return new CreateAccountRequest { Account = account };
        }));
        await silo.Accounts.BatchCreateAccountsAsync(batch);

        var management = silo.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
        async Task<int> ActiveAccounts() => (await management.GetSimpleGrainStatistics())
            .Where(s => s.GrainType.Contains("AccountGrain", StringComparison.Ordinal)).Sum(s => s.ActivationCount);
        for (var attempt = 0; attempt < 50 && await ActiveAccounts() > 0; attempt++)
        {
            await management.ForceActivationCollection(TimeSpan.Zero);
            await Task.Delay(100);
        }
        Assert.Equal(0, await ActiveAccounts());

        var basic = await silo.Accounts.ListAccountsAsync(new ListAccountsRequest { Owner = owner, PageSize = 1000 });
        Assert.Equal(ids, basic.Accounts.Select(a => a.AccountId));
        Assert.All(basic.Accounts, a =>
        {
            Assert.Equal($"恒鼎{a.AccountId}", a.DisplayName);
            Assert.Equal(owner, a.Owner);
            Assert.Equal(StrategicTier.BureauOrProvince, a.Tier);
            Assert.Equal("", a.Region);
            Assert.Equal("", a.Etag);
        });
        Assert.Equal(0, await ActiveAccounts());

        var full = await silo.Accounts.ListAccountsAsync(new ListAccountsRequest { Owner = owner, PageSize = 1000, View = AccountListView.Full });
        foreach (var (listed, id) in full.Accounts.Zip(ids))
        {
            var read = await silo.Accounts.GetAccountAsync(new GetAccountRequest { AccountId = id });
            Assert.Equal(read.Insights.OverallCoverage, listed.Coverage); // the directory's copy is current
            read.Coverage = listed.Coverage;
            read.Rank = listed.Rank;
            read.AbcClass = listed.AbcClass;
            Assert.Equal(read, listed); // every other field as GetAccount returns it
        }
        Assert.Equal(ids.Count, await ActiveAccounts());

        await ApiAssert.InvalidField("view", () => silo.Accounts.ListAccountsAsync(new ListAccountsRequest { View = (AccountListView)9 }));
    }
}
