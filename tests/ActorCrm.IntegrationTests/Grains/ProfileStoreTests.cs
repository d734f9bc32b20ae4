using System.Text;
using ActorCrm.Grains;
using ActorCrm.Grains.Accounts.Profiles;
using ActorCrm.IntegrationTests.Infrastructure;

namespace ActorCrm.IntegrationTests.Grains;

/// <summary>The log-structured save of a profile partition, on its own storage: appends, checkpoints, growth, failures and crashes.</summary>
public class ProfileStoreTests
{
    private readonly FaultyMemoryStorage _storage = new();
    private readonly GrainId _grainId = GrainId.Create("profile-test", "3");

    private static ProfileRecord Record(long version, string text) => new(version, Encoding.UTF8.GetBytes(text));

    private static string Text(ProfileRecord record) => record.Data is null ? "(cleared)" : Encoding.UTF8.GetString(record.Data);

    private async Task<ProfileLogStore> FreshAsync()
    {
        var store = new ProfileLogStore(_storage, _grainId);
        Assert.False(await store.LoadAsync());
        await store.CreateAsync(earlierRecordsPossible: false);
        return store;
    }

    /// <summary>What a new activation (after a crash, or on another silo) reads.</summary>
    private async Task<ProfileLogStore> ReloadAsync()
    {
        var store = new ProfileLogStore(_storage, _grainId);
        Assert.True(await store.LoadAsync());
        return store;
    }

    private IEnumerable<string> Names(string prefix) => _storage.StateNamesOf(_grainId).Where(n => n.StartsWith(prefix, StringComparison.Ordinal));

    [Fact]
    public async Task Appended_records_are_read_back_after_a_crash_before_any_checkpoint()
    {
        var store = await FreshAsync();
        store.Put("acct-1/profile", Record(1, "恒鼎建设"));
        store.Put("acct-2/profile", Record(1, "逸帆"));
        await store.AppendAsync();
        store.Put("acct-1/profile", Record(2, "恒鼎建设股份有限公司"));
        await store.AppendAsync();

        var read = await ReloadAsync();
        Assert.Equal("恒鼎建设股份有限公司", Text(await read.FindAsync("acct-1/profile")));
        Assert.Equal(2, (await read.FindAsync("acct-1/profile")).Version);
        Assert.Equal("逸帆", Text(await read.FindAsync("acct-2/profile")));
        Assert.Equal(ProfileRecord.None, await read.FindAsync("acct-3/profile"));
        Assert.Equal([ProfileLogStore.LogName(0), ProfileLogStore.LogName(1)], Names("profile-log-").ToArray());
    }

    [Fact]
    public async Task A_growing_partition_checkpoints_into_more_chunks_keeps_every_record_and_clears_the_folded_log()
    {
        var store = await FreshAsync();
        const int count = 3_000;
        for (var i = 0; i < count; i++)
        {
            store.Put($"acct-{i:D5}/profile", Record(1, $"客户 {i}"));
            if (i % 100 == 99) await store.AppendAsync();
        }
        await store.CheckpointAsync();
        for (var attempt = 0; attempt < 50 && Names("profile-log-").Any(); attempt++) await Task.Delay(20); // cleared in the background

        Assert.True(store.Generation > ProfileLogStore.MinGeneration, $"generation {store.Generation}");
        var chunks = Names("profile-").Where(n => !n.StartsWith("profile-log-", StringComparison.Ordinal) && n != "profile-head").ToList();
        Assert.All(chunks, name => Assert.StartsWith($"profile-{store.Generation}-", name));
        Assert.All(chunks, name => Assert.InRange(_storage.Peek<ProfileChunk>(name, _grainId)!.Entries.Count, 1, 3 * ProfileLogStore.TargetChunkSize));
        Assert.Empty(Names("profile-log-"));

        // A write after the checkpoint, then a reload: chunks and log together.
        store.Put("acct-00007/profile", Record(2, "改名"));
        await store.AppendAsync();
        var read = await ReloadAsync();
        for (var i = 0; i < count; i++)
            Assert.Equal(i == 7 ? "改名" : $"客户 {i}", Text(await read.FindAsync($"acct-{i:D5}/profile")));
    }

    [Fact]
    public async Task A_failed_append_drops_its_records_and_the_next_one_reuses_its_number()
    {
        var store = await FreshAsync();
        store.Put("a/profile", Record(1, "first"));
        await store.AppendAsync();
        store.Put("a/profile", Record(2, "never acknowledged"));
        _storage.FailWritesOfStates("profile-log-");
        await Assert.ThrowsAsync<IOException>(store.AppendAsync);
        _storage.HealStates("profile-log-");

        Assert.False(store.IsUnsaved("a/profile"));
        Assert.Equal("first", Text(await store.LatestAsync("a/profile")));
        store.Put("b/profile", Record(1, "b"));
        await store.AppendAsync();

        Assert.Equal([ProfileLogStore.LogName(0), ProfileLogStore.LogName(1)], Names("profile-log-").ToArray());
        var read = await ReloadAsync();
        Assert.Equal((1, "first"), ((await read.FindAsync("a/profile")).Version, Text(await read.FindAsync("a/profile"))));
        Assert.Equal("b", Text(await read.FindAsync("b/profile")));
    }

    [Fact]
    public async Task A_checkpoint_that_dies_before_its_head_loses_nothing_and_an_older_version_never_wins()
    {
        var store = await FreshAsync();
        store.Put("kept/profile", Record(1, "kept"));
        store.Put("cleared/profile", Record(3, "old"));
        await store.AppendAsync();
        store.Put("cleared/profile", new ProfileRecord(4, null));
        await store.AppendAsync();

        _storage.FailWritesOfStates("profile-head");
        await Assert.ThrowsAnyAsync<Exception>(store.CheckpointAsync);
        _storage.HealStates("profile-head");

        // The chunks hold the newest records and the old head still points at the whole log: both agree.
        var read = await ReloadAsync();
        Assert.Equal("kept", Text(await read.FindAsync("kept/profile")));
        Assert.Equal((4, "(cleared)"), ((await read.FindAsync("cleared/profile")).Version, Text(await read.FindAsync("cleared/profile"))));

        // The next checkpoint completes and a reload still agrees.
        await read.CheckpointAsync();
        var again = await ReloadAsync();
        Assert.Equal(4, (await again.FindAsync("cleared/profile")).Version);
        Assert.Equal("kept", Text(await again.FindAsync("kept/profile")));
    }

    [Fact]
    public async Task Chunks_beyond_the_cache_are_dropped_after_a_checkpoint_and_read_again_when_needed()
    {
        var store = await FreshAsync();
        var count = ProfileLogStore.MaxCachedChunks * ProfileLogStore.TargetChunkSize * 5 / 4;
        for (var i = 0; i < count; i++)
        {
            store.Put($"acct-{i:D6}/profile", Record(1, i.ToString()));
            if (i % 2_000 == 1_999) await store.AppendAsync();
        }
        await store.AppendAsync();
        await store.CheckpointAsync();

        var chunkReadsBefore = Names("profile-").Where(n => !n.StartsWith("profile-log-", StringComparison.Ordinal) && n != "profile-head")
            .Sum(n => _storage.ReadsOf(n, _grainId));
        for (var i = 0; i < count; i += 97) Assert.Equal(i.ToString(), Text(await store.FindAsync($"acct-{i:D6}/profile")));
        var chunkReadsAfter = Names("profile-").Where(n => !n.StartsWith("profile-log-", StringComparison.Ordinal) && n != "profile-head")
            .Sum(n => _storage.ReadsOf(n, _grainId));
        Assert.True(chunkReadsAfter > chunkReadsBefore, "dropped chunks are read again");
    }

    [Fact]
    public async Task Whether_earlier_records_may_exist_is_decided_once_and_kept()
    {
        var store = new ProfileLogStore(_storage, _grainId);
        Assert.False(await store.LoadAsync());
        await store.CreateAsync(earlierRecordsPossible: true);
        store.Put("x/profile", Record(1, "x"));
        await store.AppendAsync();
        await store.CheckpointAsync();
        Assert.True((await ReloadAsync()).EarlierRecordsPossible);
    }
}
