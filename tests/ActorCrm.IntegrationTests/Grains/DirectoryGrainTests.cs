using ActorCrm.Domain.Model;
using ActorCrm.Grains;
using ActorCrm.IntegrationTests.Infrastructure;

namespace ActorCrm.IntegrationTests.Grains;

[Collection(ClusterCollection.Name)]
public class DirectoryGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Every_account_is_listed_exactly_once_in_id_order_while_others_change()
    {
        var owner = Ids.New("owner");
        var ids = Enumerable.Range(0, 120).Select(i => $"{owner}-{i:D3}").ToList();
        await Task.WhenAll(ids.Select(id =>
            fixture.Grains.GetGrain<IAccountGrain>(id).CreateAsync(AccountGrainTests.NewAccount(id) with { Owner = owner })));

        var listed = new List<string>();
        var after = "";
        while (true)
        {
            var page = await AccountDirectory.QueryAsync(fixture.Grains, new DirectoryQuery(after, 25, StrategicTier.Unspecified, "", owner, ""));
            listed.AddRange(page.Select(s => s.AccountId));
            // Accounts appearing mid-paging must not disturb the ones that exist throughout.
            var extra = $"{owner}-x{listed.Count}";
            await fixture.Grains.GetGrain<IAccountGrain>(extra).CreateAsync(AccountGrainTests.NewAccount(extra) with { Owner = owner });
            if (page.Count < 25) break;
            after = page[^1].AccountId;
        }
        Assert.Equal(listed.Distinct().Count(), listed.Count);
        Assert.Equal(listed.Order(StringComparer.Ordinal), listed);
        Assert.All(ids, id => Assert.Contains(id, listed));
    }

    [Fact]
    public async Task Deleted_accounts_leave_the_directory()
    {
        var id = Ids.New("gone");
        await fixture.Grains.GetGrain<IAccountGrain>(id).CreateAsync(AccountGrainTests.NewAccount(id) with { Owner = id });
        await fixture.Grains.GetGrain<IAccountGrain>(id).DeleteAsync("");
        var page = await AccountDirectory.QueryAsync(fixture.Grains, new DirectoryQuery("", 10, StrategicTier.Unspecified, "", id, ""));
        Assert.Empty(page);
    }
}
