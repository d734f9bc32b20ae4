using ActorCrm.Domain.Revenue;
using ActorCrm.Grains.Ranking;
using ActorCrm.IntegrationTests.Infrastructure;

namespace ActorCrm.IntegrationTests.Grains;

/// <summary>The ranking's chunked book store over an in-memory grain storage: only changed chunks are written, and nothing is lost by a failed save.</summary>
public class RankingStoreTests
{
    private static readonly GrainId Ranking = GrainId.Create("ranking", "test-book");

    [Fact]
    public async Task A_save_writes_only_the_chunks_of_changed_accounts_and_a_reload_returns_every_entry()
    {
        var storage = new FaultyMemoryStorage();
        var store = new RankingStore(storage, Ranking);
        await store.LoadAsync();
        var ids = DistinctChunkIds(3);
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
            store.Changed(id, Entry(version: i + 1, amount: 1000 * (i + 1), parent: i == 0 ? "" : ids[0]));

        var result = await store.SaveAsync();

        Assert.Equal(3, result.Chunks);
        Assert.Equal(3, result.Entries);
        Assert.Equal(4, storage.Writes); // three chunks and the header
        Assert.False(store.HasChanges);

        var reloaded = await new RankingStore(storage, Ranking).LoadAsync();
        Assert.Equal(ids.Order(), reloaded.Keys.Order());
        Assert.Equal(2000, reloaded[ids[1]].Buckets.Single().AmountMinor);
        Assert.Equal(ids[0], reloaded[ids[1]].ParentAccountId);
        Assert.Equal(3, reloaded[ids[2]].LedgerVersion);
    }

    [Fact]
    public async Task A_reload_returns_the_listing_and_the_purchase_volume_the_ranked_rows_and_share_of_wallet_use()
    {
        var storage = new FaultyMemoryStorage();
        var store = new RankingStore(storage, Ranking);
        await store.LoadAsync();
        var entry = Entry(version: 1, amount: 500);
        entry.DisplayName = "恒鼎建设";
        entry.Tier = ActorCrm.Domain.Model.StrategicTier.NationalHq;
        entry.YearlyPurchaseVolumeMinor = 80_000_000_00;
        store.Changed("acct-listing", entry);
        await store.SaveAsync();

        var reloaded = (await new RankingStore(storage, Ranking).LoadAsync())["acct-listing"];
        Assert.Equal("恒鼎建设", reloaded.DisplayName);
        Assert.Equal(ActorCrm.Domain.Model.StrategicTier.NationalHq, reloaded.Tier);
        Assert.Equal(80_000_000_00, reloaded.YearlyPurchaseVolumeMinor);
    }

    [Fact]
    public async Task A_save_stores_a_snapshot_that_later_changes_to_the_entry_do_not_touch()
    {
        var storage = new FaultyMemoryStorage();
        var store = new RankingStore(storage, Ranking);
        await store.LoadAsync();
        var entry = Entry(version: 1, amount: 500);
        store.Changed("acct-snapshot", entry);
        await store.SaveAsync();

        entry.LedgerVersion = 2;
        entry.Buckets = [new DayAmount(new DateOnly(2026, 11, 2), 9999)];

        var stored = storage.Peek<RankingChunk>($"book-{RankingStore.ChunkOf("acct-snapshot"):D3}", Ranking)!;
        Assert.Equal(1, stored.Entries["acct-snapshot"].LedgerVersion);
        Assert.Equal(500, stored.Entries["acct-snapshot"].Buckets.Single().AmountMinor);
    }

    [Fact]
    public async Task A_failed_save_keeps_its_chunks_for_the_next_save()
    {
        var storage = new FaultyMemoryStorage();
        var store = new RankingStore(storage, Ranking);
        await store.LoadAsync();
        store.Changed("acct-a", Entry(version: 1, amount: 700));

        storage.FailWritesFor("test-book");
        await Assert.ThrowsAsync<IOException>(store.SaveAsync);
        Assert.True(store.HasChanges);
        storage.Heal("test-book");

        var retried = await store.SaveAsync();
        Assert.Equal(1, retried.Chunks);
        Assert.Equal(700, (await new RankingStore(storage, Ranking).LoadAsync())["acct-a"].Buckets.Single().AmountMinor);
    }

    private static BookEntry Entry(long version, long amount, string parent = "") => new()
    {
        LedgerVersion = version,
        Buckets = [new DayAmount(new DateOnly(2026, 11, 1), amount)],
        ParentAccountId = parent,
        HierarchyVersion = version,
    };

    private static string[] DistinctChunkIds(int count)
    {
        var byChunk = new Dictionary<int, string>();
        for (var i = 0; byChunk.Count < count; i++) byChunk.TryAdd(RankingStore.ChunkOf($"acct-{i}"), $"acct-{i}");
        return [.. byChunk.Values];
    }
}
