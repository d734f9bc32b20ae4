using Orleans.Runtime;
using ActorCrm.Domain.Errors;
using ActorCrm.Domain.Revenue;
using ActorCrm.Grains;
using ActorCrm.Grains.Revenue;
using ActorCrm.IntegrationTests.Infrastructure;

namespace ActorCrm.IntegrationTests.Grains;

/// <summary>Revenue ledgers in their partitions: the log append as the durable write, checkpoints, replay.</summary>
[Collection(ClusterCollection.Name)]
public class RevenuePartitionTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_failed_log_append_accepts_nothing_and_a_resend_counts_once()
    {
        var id = await NewAccountAsync("ledger");
        var now = fixture.Clock.GetUtcNow();
        RevenueEntry[] batch = [new("inv-1", 1000, now), new("inv-2", 500, now.AddDays(-2))];

        fixture.Storage.FailWritesOfStates("revenue-log-");
        try
        {
            var failed = await RecordAsync(fixture, id, batch);
            Assert.All(failed, o => Assert.Equal(RevenueReasons.Unavailable, o.ReasonCode));
        }
        finally
        {
            fixture.Storage.HealStates("revenue-log-");
        }
        Assert.Equal(0, await TotalAsync(fixture, id));

        var accepted = await RecordAsync(fixture, id, batch);
        Assert.All(accepted, o => Assert.Equal(RevenueStatus.Accepted, o.Status));
        var resent = await RecordAsync(fixture, id, batch);
        Assert.All(resent, o => Assert.Equal(RevenueStatus.Duplicate, o.Status));
        Assert.Equal(1500, await TotalAsync(fixture, id));
    }

    [Fact]
    public async Task Acknowledged_events_that_no_checkpoint_holds_are_replayed_from_the_log()
    {
        var id = await NewAccountAsync("replay");
        var now = fixture.Clock.GetUtcNow();
        RevenueEntry[] acknowledged = [new("inv-1", 700, now), new("inv-2", 300, now)];

        // Ledger checkpoints fail, so the events live only in the log; then an append fails, and the
        // partition restarts without a checkpoint, as after a crash.
        fixture.Storage.FailWritesOfStates("ledger-");
        try
        {
            Assert.All(await RecordAsync(fixture, id, acknowledged), o => Assert.Equal(RevenueStatus.Accepted, o.Status));
            fixture.Storage.FailWritesOfStates("revenue-log-");
            Assert.Equal(RevenueReasons.Unavailable, Assert.Single(await RecordAsync(fixture, id, [new("inv-3", 5, now)])).ReasonCode);
        }
        finally
        {
            fixture.Storage.HealStates("revenue-log-");
            fixture.Storage.HealStates("ledger-");
        }

        Assert.Equal(1000, await TotalAsync(fixture, id));
        Assert.All(await RecordAsync(fixture, id, acknowledged), o => Assert.Equal(RevenueStatus.Duplicate, o.Status));
        Assert.Equal(RevenueStatus.Accepted, Assert.Single(await RecordAsync(fixture, id, [new("inv-3", 5, now)])).Status);

        // Once a checkpoint holds the ledger, the partition's log is truncated.
        var partition = fixture.Grains.GetGrain<IRevenuePartitionGrain>(RevenuePartitions.PartitionOf(id)).GetGrainId();
        var ledger = AccountGrainId(id);
        // A small ledger is saved on its partition's page (LedgerPages), not in records of its own.
        await Eventually(() => fixture.Storage.Peek<LedgerPage>(LedgerPages.RecordName(LedgerPages.PageOf(id)), partition)?.Entries.ContainsKey(id) == true
            && !fixture.Storage.StateNamesOf(partition).Any(n => n.StartsWith("revenue-log-", StringComparison.Ordinal)));
        Assert.Empty(LedgerRecords(ledger));
    }

    [Fact]
    public async Task An_unknown_account_rejects_its_events_and_gets_no_ledger()
    {
        var id = Ids.New("ghost");
        var outcomes = await RecordAsync(fixture, id, [new RevenueEntry("inv-1", 1000, fixture.Clock.GetUtcNow())]);
        Assert.Equal(RevenueReasons.UnknownAccount, Assert.Single(outcomes).ReasonCode);
        Assert.Empty(await RevenuePartitions.GetReportsAsync(fixture.Grains, [id]));
        var error = await Assert.ThrowsAsync<CrmException>(() => RevenuePartitions.For(fixture.Grains, id).ListEventsAsync(id, "", 10));
        Assert.Equal(ErrorKind.NotFound, error.Kind);
    }

    [Fact]
    public async Task A_deleted_account_has_an_empty_ledger_and_takes_no_more_events()
    {
        var id = await NewAccountAsync("deleted");
        var now = fixture.Clock.GetUtcNow();
        await RecordAsync(fixture, id, [new RevenueEntry("inv-1", 1000, now)]);
        await fixture.Grains.GetGrain<IAccountGrain>(id).DeleteAsync("");

        var report = Assert.Single(await RevenuePartitions.GetReportsAsync(fixture.Grains, [id]));
        Assert.Empty(report.Buckets);
        Assert.Equal(RevenueReasons.UnknownAccount, Assert.Single(await RecordAsync(fixture, id, [new RevenueEntry("inv-2", 5, now)])).ReasonCode);
    }

    [Fact]
    public async Task A_busy_account_is_checkpointed_in_chunks_and_a_checkpoint_rewrites_only_the_open_one()
    {
        var id = await NewAccountAsync("busy");
        var ledger = AccountGrainId(id);
        var now = fixture.Clock.GetUtcNow();
        var events = Enumerable.Range(0, RevenueLedger.DefaultChunkCapacity + 88)
            .Select(i => new RevenueEntry($"inv-{i:D4}", 10, now.AddDays(-(i % 300)))).ToArray(); // dates over ten months: still two chunks
        Assert.All(await RecordAsync(fixture, id, events), o => Assert.Equal(RevenueStatus.Accepted, o.Status));
        await Eventually(() => LedgerRecords(ledger).SequenceEqual(["ledger-c0", "ledger-c1", "ledger-index"]));
        Assert.Equal([0, 1], fixture.Storage.Peek<LedgerIndex>("ledger-index", ledger)!.Chunks);

        var sealedChunk = fixture.Storage.Peek<LedgerChunk>("ledger-c0", ledger);
        var index = fixture.Storage.Peek<LedgerIndex>("ledger-index", ledger);
        await RecordAsync(fixture, id, [new RevenueEntry("inv-next", 10, now)]);
        await Eventually(() => fixture.Storage.Peek<LedgerChunk>("ledger-c1", ledger)!.Events.Count == 89);
        Assert.Same(sealedChunk, fixture.Storage.Peek<LedgerChunk>("ledger-c0", ledger)); // a sealed chunk is not rewritten
        Assert.Same(index, fixture.Storage.Peek<LedgerIndex>("ledger-index", ledger));     // no new chunk: index not rewritten
        Assert.Equal((events.Length + 1) * 10, await TotalAsync(fixture, id));
    }

    [Fact]
    public async Task Small_ledgers_share_their_partitions_pages_and_one_that_outgrows_a_chunk_moves_to_records_of_its_own()
    {
        var now = fixture.Clock.GetUtcNow();
        var small = new List<string>();
        for (var i = 0; i < 40; i++) small.Add(await NewAccountAsync("paged"));
        foreach (var id in small) Assert.Equal(RevenueStatus.Accepted, Assert.Single(await RecordAsync(fixture, id, [new RevenueEntry("inv-1", 100, now)])).Status);

        // What a new activation of each partition would read: every small ledger on its page, no record of its own.
        async Task<LedgerPageEntry?> StoredEntryAsync(string id) =>
            await new LedgerPages(fixture.Storage, fixture.Grains.GetGrain<IRevenuePartitionGrain>(RevenuePartitions.PartitionOf(id)).GetGrainId(), allEmpty: false).FindAsync(id);
        foreach (var id in small)
            await Eventually(() => StoredEntryAsync(id).Result is { OwnRecords: false, Chunk.Events.Count: 1 });
        Assert.All(small, id => Assert.Empty(LedgerRecords(AccountGrainId(id))));

        // One of them outgrows a chunk: from its next checkpoint on it has records of its own, and its page says so.
        var busy = small[0];
        var events = Enumerable.Range(0, RevenueLedger.DefaultChunkCapacity + 10).Select(i => new RevenueEntry($"inv-b{i:D4}", 10, now)).ToArray();
        Assert.All(await RecordAsync(fixture, busy, events), o => Assert.Equal(RevenueStatus.Accepted, o.Status));
        await Eventually(() => LedgerRecords(AccountGrainId(busy)).SequenceEqual(["ledger-c0", "ledger-c1", "ledger-index"])
            && StoredEntryAsync(busy).Result is { OwnRecords: true });
        Assert.Equal(100 + events.Length * 10, await TotalAsync(fixture, busy));
        var stored = fixture.Storage.Peek<LedgerChunk>("ledger-c0", AccountGrainId(busy))!;
        Assert.Contains("inv-1", stored.Events.Keys); // the chunk that was on the page, written once to its own record
    }

    private async Task<string> NewAccountAsync(string prefix)
    {
        var id = Ids.New(prefix);
        await fixture.Grains.GetGrain<IAccountGrain>(id).CreateAsync(AccountGrainTests.NewAccount(id));
        return id;
    }

    private GrainId AccountGrainId(string id) => fixture.Grains.GetGrain<IAccountGrain>(id).GetGrainId();

    private IReadOnlyList<string> LedgerRecords(GrainId grainId) =>
        fixture.Storage.StateNamesOf(grainId).Where(n => n.StartsWith("ledger", StringComparison.Ordinal)).ToArray();

    internal static Task<RevenueOutcome[]> RecordAsync(ClusterFixture fixture, string accountId, IReadOnlyList<RevenueEntry> entries) =>
        RevenueIngest.RecordAsync(fixture.Grains, entries.Select(e => new AccountRevenueEntry(accountId, e)).ToArray(),
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

    /// <summary>The window total, summed from the events the ledger lists (all of them count: none are dated ahead).</summary>
    internal static async Task<long> TotalAsync(ClusterFixture fixture, string accountId) =>
        (await RevenuePartitions.For(fixture.Grains, accountId).ListEventsAsync(accountId, "", 10_000)).Sum(e => e.AmountMinor);

    internal static async Task Eventually(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++) await Task.Delay(50);
        Assert.True(condition(), "the checkpoint did not happen within 5 s");
    }
}

/// <summary>Ledger chunks ageing out, on a cluster of its own (this test moves the product clock).</summary>
public class LedgerAgeingTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task A_chunk_is_deleted_after_the_midnight_on_which_its_newest_event_is_forgotten()
    {
        var id = Ids.New("ageing");
        await fixture.Grains.GetGrain<IAccountGrain>(id).CreateAsync(AccountGrainTests.NewAccount(id));
        var ledger = fixture.Grains.GetGrain<IAccountGrain>(id).GetGrainId();
        var now = fixture.Clock.GetUtcNow(); // 2026-11-27 08:00 UTC
        var old = now.AddDays(-364);         // 2025-11-28: still counts today
        var oldEvents = Enumerable.Range(0, RevenueLedger.DefaultChunkCapacity).Select(i => new RevenueEntry($"old-{i}", 1, old)).ToArray();
        await RevenuePartitionTests.RecordAsync(fixture, id, oldEvents); // fills chunk 0
        await RevenuePartitionTests.RecordAsync(fixture, id, [new RevenueEntry("recent", 50, now)]);
        await RevenuePartitionTests.Eventually(() => LedgerRecords(ledger).SequenceEqual(["ledger-c0", "ledger-c1", "ledger-index"]));
        Assert.Equal(128 + 50, await RevenuePartitionTests.TotalAsync(fixture, id));

        // 2025-11-28 is forgotten from 2026-11-30 (day ≤ today − 365 − 1); the next visit drops its chunk.
        fixture.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 30, 0, 0, 1, TimeSpan.Zero));
        Assert.Equal(RevenueStatus.Accepted, (await RevenuePartitionTests.RecordAsync(fixture, id, [new RevenueEntry("later", 5, fixture.Clock.GetUtcNow())])).Single().Status);
        await RevenuePartitionTests.Eventually(() => LedgerRecords(ledger).SequenceEqual(["ledger-c1", "ledger-index"]));
        Assert.Equal(55, await RevenuePartitionTests.TotalAsync(fixture, id));
        Assert.Equal(RevenueStatus.Expired, (await RevenuePartitionTests.RecordAsync(fixture, id, [new RevenueEntry("old-0", 1, old)])).Single().Status);
        Assert.Equal(RevenueStatus.Duplicate, (await RevenuePartitionTests.RecordAsync(fixture, id, [new RevenueEntry("recent", 50, now)])).Single().Status);
    }

    private IReadOnlyList<string> LedgerRecords(GrainId grainId) =>
        fixture.Storage.StateNamesOf(grainId).Where(n => n.StartsWith("ledger", StringComparison.Ordinal)).ToArray();
}
