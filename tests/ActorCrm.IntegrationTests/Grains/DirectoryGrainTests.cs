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

/// <summary>The directory under storage faults, on a cluster of its own (it fails every directory save for a while).</summary>
public class DirectoryConvergenceTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task An_account_whose_directory_save_failed_is_listed_and_saved_once_storage_heals()
    {
        var id = Ids.New("heal");
        fixture.Storage.FailWritesOfStates("dir-");
        try
        {
            // The account itself is saved; its listing is not, and the create still succeeds.
            await fixture.Grains.GetGrain<IAccountGrain>(id).CreateAsync(AccountGrainTests.NewAccount(id) with { Owner = id });
            Assert.DoesNotContain(id, await StoredDirectoryIdsAsync());
        }
        finally
        {
            fixture.Storage.HealStates("dir-");
        }

        // The account retries until its listing is saved (a 5 s timer), without any further call.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!(await StoredDirectoryIdsAsync()).Contains(id) && DateTime.UtcNow < deadline) await Task.Delay(200);
        Assert.Contains(id, await StoredDirectoryIdsAsync());
        var page = await AccountDirectory.QueryAsync(fixture.Grains, new DirectoryQuery("", 10, StrategicTier.Unspecified, "", id, ""));
        Assert.Equal(id, Assert.Single(page).AccountId);
    }

    [Fact]
    public async Task Sub_accounts_are_listed_from_the_directory_and_block_their_parents_delete()
    {
        var parent = Ids.New("hq");
        await fixture.Grains.GetGrain<IAccountGrain>(parent).CreateAsync(AccountGrainTests.NewAccount(parent));
        var children = Enumerable.Range(0, 40).Select(i => $"{parent}-{i:D2}").ToArray();
        await Task.WhenAll(children.Select(c =>
            fixture.Grains.GetGrain<IAccountGrain>(c).CreateAsync(AccountGrainTests.NewAccount(c) with { ParentAccountId = parent })));

        Assert.Equal(children, await AccountDirectory.ListChildrenAsync(fixture.Grains, parent, 100));
        var page = await AccountDirectory.QueryAsync(fixture.Grains, new DirectoryQuery(children[9], 5, StrategicTier.Unspecified, parent, "", ""));
        Assert.Equal(children[10..15], page.Select(s => s.AccountId));

        var refused = await Assert.ThrowsAsync<ActorCrm.Domain.Errors.CrmException>(() => fixture.Grains.GetGrain<IAccountGrain>(parent).DeleteAsync(""));
        Assert.Contains("sub-accounts", refused.Message);
        foreach (var child in children) await fixture.Grains.GetGrain<IAccountGrain>(child).DeleteAsync("");
        await fixture.Grains.GetGrain<IAccountGrain>(parent).DeleteAsync("");
        Assert.Empty(await AccountDirectory.ListChildrenAsync(fixture.Grains, parent, 100));
    }

    /// <summary>The ids a fresh activation of each partition would read from storage.</summary>
    private async Task<IReadOnlyList<string>> StoredDirectoryIdsAsync()
    {
        var ids = new List<string>();
        for (var p = 0; p < AccountDirectory.Partitions; p++)
        {
            var store = new ActorCrm.Grains.Directory.DirectoryStore(fixture.Storage, fixture.Grains.GetGrain<IAccountDirectoryGrain>(p).GetGrainId());
            ids.AddRange((await store.LoadAsync()).Select(s => s.AccountId));
        }
        return ids;
    }
}
