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
    public async Task A_partition_that_fills_up_doubles_its_chunks_keeps_every_account_and_clears_the_old_records()
    {
        var owner = Ids.New("grow");
        var ids = Enumerable.Range(0, 40_000).Select(i => $"{owner}-{i:D5}").Where(id => AccountDirectory.PartitionOf(id) == Partition)
            .Take(DirectoryStore.TargetChunkSize * (1 << DirectoryStore.MinGeneration) + 100).ToList();
        foreach (var batch in ids.Chunk(100))
            await Task.WhenAll(batch.Select(id => fixture.Grains.GetGrain<IAccountGrain>(id).CreateAsync(AccountGrainTests.NewAccount(id) with { Owner = owner })));

        var grainId = fixture.Grains.GetGrain<IAccountDirectoryGrain>(Partition).GetGrainId();
        var generation = fixture.Storage.Peek<DirectoryHead>("directory-head", grainId)!.Generation;
        Assert.Equal(DirectoryStore.MinGeneration + 1, generation);
        var names = fixture.Storage.StateNamesOf(grainId).Where(n => n.StartsWith("dir-", StringComparison.Ordinal)).ToList();
        Assert.All(names, name => Assert.StartsWith($"dir-{generation}-", name));
        var chunks = names.Select(name => fixture.Storage.Peek<DirectoryChunk>(name, grainId)!).ToList();
        Assert.Equal(ids.Order(StringComparer.Ordinal), chunks.SelectMany(c => c.Accounts.Keys).Order(StringComparer.Ordinal));
        Assert.All(chunks, c => Assert.InRange(c.Accounts.Count, 1, 2 * DirectoryStore.TargetChunkSize));

        var listed = await AccountDirectory.QueryAsync(fixture.Grains, new DirectoryQuery("", 1000, StrategicTier.Unspecified, "", owner, ""));
        Assert.Equal(ids.Order(StringComparer.Ordinal), listed.Select(s => s.AccountId));
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
