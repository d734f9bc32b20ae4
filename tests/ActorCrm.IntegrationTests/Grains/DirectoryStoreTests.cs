using StableHash = ActorCrm.Domain.StableHash;
using ActorCrm.Domain.Model;
using ActorCrm.Grains;
using ActorCrm.Grains.Directory;
using ActorCrm.IntegrationTests.Infrastructure;

namespace ActorCrm.IntegrationTests.Grains;

/// <summary>How a directory partition is saved: chunks that double as the partition grows, and the move from earlier layouts.</summary>
public class DirectoryStoreTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private const int Partition = 7;

    [Fact]
    public void The_accounts_of_one_partition_spread_evenly_over_its_chunks()
    {
        // The earlier layout took the chunk from the low bits of a hash whose low bits also chose the
        // partition: a partition then filled only a few of its chunks.
        var ids = Enumerable.Range(0, 64_000).Select(i => $"acct-{i:D6}").Where(id => AccountDirectory.PartitionOf(id) == Partition).ToList();
        const int generation = 5;
        var perChunk = ids.GroupBy(id => DirectoryStore.ChunkOf(id, generation)).Select(g => g.Count()).ToList();
        var mean = ids.Count / (double)(1 << generation);
        Assert.Equal(1 << generation, perChunk.Count);
        Assert.All(perChunk, count => Assert.InRange(count, mean * 0.6, mean * 1.4));
    }

    [Fact]
    public async Task A_partition_that_fills_up_doubles_its_chunks_at_a_checkpoint_keeps_every_account_and_clears_the_old_records()
    {
        var owner = Ids.New("grow");
        var ids = Enumerable.Range(0, 200_000).Select(i => $"{owner}-{i:D6}").Where(id => AccountDirectory.PartitionOf(id) == Partition)
            .Take(DirectoryStore.MinCheckpointChanges + 100).ToList();
        foreach (var batch in ids.Chunk(100))
            await Task.WhenAll(batch.Select(id => fixture.Grains.GetGrain<IAccountGrain>(id).CreateAsync(AccountGrainTests.NewAccount(id) with { Owner = owner })));

        var grainId = fixture.Grains.GetGrain<IAccountDirectoryGrain>(Partition).GetGrainId();
        var generation = fixture.Storage.Peek<DirectoryHead>("directory-head", grainId)!.Generation;
        Assert.True(generation > DirectoryStore.MinGeneration, $"generation {generation}");
        var names = fixture.Storage.StateNamesOf(grainId);
        var chunkNames = names.Where(n => n.StartsWith("dir-", StringComparison.Ordinal) && !n.StartsWith("dir-log-", StringComparison.Ordinal)).ToList();
        Assert.All(chunkNames, name => Assert.StartsWith($"dir-{generation}-", name));
        Assert.All(chunkNames, name => Assert.InRange(fixture.Storage.Peek<DirectoryChunk>(name, grainId)!.Accounts.Count, 0, 2 * DirectoryStore.TargetChunkSize));
        Assert.InRange(names.Count(n => n.StartsWith("dir-log-", StringComparison.Ordinal)), 0, DirectoryStore.MaxLogRecords);

        // What an activation would read (chunks, then the log) holds every account.
        var stored = await new DirectoryStore(fixture.Storage, grainId).LoadAsync();
        Assert.Superset(ids.ToHashSet(), stored.Select(s => s.AccountId).ToHashSet());
        var listed = await AccountDirectory.QueryAsync(fixture.Grains, new DirectoryQuery("", 5000, StrategicTier.Unspecified, "", owner, ""));
        Assert.Equal(ids.Order(StringComparer.Ordinal), listed.Select(s => s.AccountId));
    }
}

/// <summary>The log-structured save of a partition, on its own storage: appends, checkpoints, failures and crashes in between.</summary>
public class DirectoryLogTests
{
    private readonly FaultyMemoryStorage _storage = new();
    private readonly GrainId _grainId = GrainId.Create("directory-test", "7");

    private static AccountSummary Summary(string id, long version, string name = "某集团有限公司") =>
        new(id, name, StrategicTier.NationalHq, "", "u-1", version);

    /// <summary>A new activation: what it reads back.</summary>
    private async Task<Dictionary<string, AccountSummary>> ReloadAsync() =>
        (await new DirectoryStore(_storage, _grainId).LoadAsync()).ToDictionary(s => s.AccountId);

    private IReadOnlyList<string> LogNames() => _storage.StateNamesOf(_grainId).Where(n => n.StartsWith("dir-log-", StringComparison.Ordinal)).ToList();

    [Fact]
    public async Task Each_append_writes_one_log_record_and_a_new_activation_replays_it()
    {
        var store = new DirectoryStore(_storage, _grainId);
        await store.LoadAsync();
        store.Put(Summary("a", 1));
        store.Put(Summary("b", 1));
        await store.AppendAsync();
        store.Put(Summary("a", 2, "甲集团"));
        store.Remove("b", 2);
        await store.AppendAsync();

        Assert.Equal([DirectoryStore.LogName(0), DirectoryStore.LogName(1)], LogNames().ToArray());
        var read = await ReloadAsync();
        Assert.Equal("甲集团", Assert.Single(read).Value.DisplayName);
    }

    [Fact]
    public async Task A_checkpoint_folds_the_log_into_chunks_clears_it_and_later_appends_follow_on()
    {
        var store = new DirectoryStore(_storage, _grainId);
        await store.LoadAsync();
        for (var i = 0; i < 600; i++) store.Put(Summary($"acct-{i:D3}", 1));
        await store.AppendAsync();
        await store.CheckpointAsync();
        Assert.Empty(LogNames());
        Assert.Equal(DirectoryStore.MinGeneration + 1, store.Generation); // 600 entries > 8 chunks × 64
        store.Put(Summary("acct-late", 1));
        await store.AppendAsync();

        var read = await ReloadAsync();
        Assert.Equal(601, read.Count);
        Assert.Equal([DirectoryStore.LogName(1)], LogNames().ToArray());
    }

    [Fact]
    public async Task A_failed_append_goes_out_again_under_the_same_number_with_the_changes_made_since()
    {
        var store = new DirectoryStore(_storage, _grainId);
        await store.LoadAsync();
        store.Put(Summary("a", 1));
        _storage.FailWritesOfStates("dir-log-");
        await Assert.ThrowsAsync<IOException>(store.AppendAsync);
        _storage.HealStates("dir-log-");
        store.Put(Summary("b", 1));
        await store.AppendAsync();

        Assert.Equal([DirectoryStore.LogName(0)], LogNames().ToArray());
        Assert.Equal(["a", "b"], (await ReloadAsync()).Keys.Order().ToArray());
    }

    [Fact]
    public async Task A_checkpoint_that_dies_before_its_head_loses_nothing_and_replay_never_resurrects_a_deleted_account()
    {
        var store = new DirectoryStore(_storage, _grainId);
        await store.LoadAsync();
        store.Put(Summary("kept", 1));
        store.Put(Summary("gone", 3));
        await store.AppendAsync();
        store.Remove("gone", 4);
        await store.AppendAsync();

        // The chunks are written, the head is not: an activation still reads the old head and the whole log.
        _storage.FailWritesOfStates("directory-head");
        await Assert.ThrowsAnyAsync<Exception>(store.CheckpointAsync);
        _storage.HealStates("directory-head");
        var read = await ReloadAsync();
        Assert.Equal(["kept"], read.Keys.ToArray());

        // A late upsert of the older version does not bring the deleted account back, after a reload either.
        var again = new DirectoryStore(_storage, _grainId);
        await again.LoadAsync();
        Assert.Equal(4, again.DeletedVersion("gone"));
        await again.CheckpointAsync();
        Assert.Equal(["kept"], (await ReloadAsync()).Keys.ToArray());
        Assert.Empty(LogNames());
    }

    [Fact]
    public async Task A_checkpoint_is_due_after_enough_log_records()
    {
        var store = new DirectoryStore(_storage, _grainId);
        await store.LoadAsync();
        for (var i = 0; i < DirectoryStore.MaxLogRecords - 1; i++)
        {
            store.Put(Summary($"acct-{i:D3}", 1));
            await store.AppendAsync();
        }
        Assert.False(store.CheckpointDue);
        store.Put(Summary("one-more", 1));
        await store.AppendAsync();
        Assert.True(store.CheckpointDue);
    }
}

/// <summary>A partition saved by an earlier version (64 chunks chosen by the low hash bits) is moved into the current layout when it activates.</summary>
public class DirectoryLegacyLayoutTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Accounts_and_deletions_in_the_old_chunk_layout_are_moved_and_the_old_records_cleared()
    {
        const int partition = 3;
        var grainId = fixture.Grains.GetGrain<IAccountDirectoryGrain>(partition).GetGrainId();
        var ids = Enumerable.Range(0, 5_000).Select(i => $"legacy-{i:D4}").Where(id => AccountDirectory.PartitionOf(id) == partition).Take(120).ToList();
        var deleted = ids[^1];
        var oldChunks = new Dictionary<int, DirectoryChunk>();
        DirectoryChunk OldChunkOf(string id) =>
            oldChunks.TryGetValue((int)(StableHash.Fnv1a64(id) % 64), out var c) ? c : oldChunks[(int)(StableHash.Fnv1a64(id) % 64)] = new DirectoryChunk();
        foreach (var id in ids[..^1]) OldChunkOf(id).Accounts[id] = new AccountSummary(id, "旧账户", StrategicTier.BureauOrProvince, "", "u-legacy", 3);
        OldChunkOf(deleted).DeletedVersions[deleted] = 5;
        foreach (var (index, chunk) in oldChunks) fixture.Storage.Seed($"dir-{index:D3}", grainId, chunk);

        var listed = await fixture.Grains.GetGrain<IAccountDirectoryGrain>(partition).QueryAsync(
            new DirectoryQuery("", 1000, StrategicTier.Unspecified, "", "u-legacy", ""));
        Assert.Equal(ids[..^1], listed.Select(s => s.AccountId));

        var names = fixture.Storage.StateNamesOf(grainId);
        Assert.DoesNotContain(names, n => n.Length == "dir-000".Length && n.StartsWith("dir-0", StringComparison.Ordinal));
        var generation = fixture.Storage.Peek<DirectoryHead>("directory-head", grainId)!.Generation;
        var moved = names.Where(n => n.StartsWith($"dir-{generation}-", StringComparison.Ordinal)).Select(n => fixture.Storage.Peek<DirectoryChunk>(n, grainId)!).ToList();
        Assert.Equal(ids.Count - 1, moved.Sum(c => c.Accounts.Count));
        Assert.Equal(5, moved.Single(c => c.DeletedVersions.ContainsKey(deleted)).DeletedVersions[deleted]);

        // The deletion still holds: an older version of the deleted account is not listed again.
        await fixture.Grains.GetGrain<IAccountDirectoryGrain>(partition).UpsertAsync(new AccountSummary(deleted, "旧账户", StrategicTier.BureauOrProvince, "", "u-legacy", 4));
        Assert.Equal(ids.Count - 1, await fixture.Grains.GetGrain<IAccountDirectoryGrain>(partition).CountAsync());
    }
}
