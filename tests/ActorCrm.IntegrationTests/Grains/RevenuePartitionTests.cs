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
        await Eventually(() => fixture.Storage.StateNamesOf(ledger).Contains("ledger-head")
            && !fixture.Storage.StateNamesOf(partition).Any(n => n.StartsWith("revenue-log-", StringComparison.Ordinal)));
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
    public async Task A_busy_month_is_checkpointed_in_segments_and_a_checkpoint_rewrites_only_the_open_one()
    {
        var id = await NewAccountAsync("busy");
        var ledger = AccountGrainId(id);
        var now = fixture.Clock.GetUtcNow();
        var month = RevenueLedger.MonthOf(DateOnly.FromDateTime(now.UtcDateTime));
        var events = Enumerable.Range(0, RevenueLedger.DefaultSegmentCapacity + 88).Select(i => new RevenueEntry($"inv-{i:D4}", 10, now)).ToArray();
        Assert.All(await RecordAsync(fixture, id, events), o => Assert.Equal(RevenueStatus.Accepted, o.Status));
        await Eventually(() => LedgerRecords(ledger).SequenceEqual([$"ledger-{month}", $"ledger-{month}-1", "ledger-head"]));
        Assert.Equal(2, fixture.Storage.Peek<LedgerHead>("ledger-head", ledger)!.SegmentCounts[month]);

        var sealedSegment = fixture.Storage.Peek<LedgerMonth>($"ledger-{month}", ledger);
        await RecordAsync(fixture, id, [new RevenueEntry("inv-next", 10, now)]);
        await Eventually(() => fixture.Storage.Peek<LedgerMonth>($"ledger-{month}-1", ledger)!.Events.Count == 89);
        Assert.Same(sealedSegment, fixture.Storage.Peek<LedgerMonth>($"ledger-{month}", ledger));
        Assert.Equal((events.Length + 1) * 10, await TotalAsync(fixture, id));
    }

    [Fact]
    public async Task A_ledger_saved_whole_by_an_earlier_build_is_moved_into_months_on_first_use()
    {
        var id = await NewAccountAsync("legacy");
        var ledger = AccountGrainId(id);
        var at = fixture.Clock.GetUtcNow().AddDays(-40);
        var legacy = new LedgerState
        {
            Version = 7,
            Buckets = { [DateOnly.FromDateTime(at.UtcDateTime)] = 300 },
            Events = { ["inv-a"] = new RememberedEvent(DateOnly.FromDateTime(at.UtcDateTime), 300, at.UtcTicks) },
        };
        await fixture.Storage.WriteStateAsync("ledger", ledger, new GrainState<LedgerState>(legacy));

        Assert.Equal(300, await TotalAsync(fixture, id));
        Assert.DoesNotContain("ledger", LedgerRecords(ledger));
        Assert.Contains("ledger-head", LedgerRecords(ledger));
        Assert.Equal(RevenueStatus.Duplicate, (await RecordAsync(fixture, id, [new RevenueEntry("inv-a", 300, at)])).Single().Status);
        var report = Assert.Single(await RevenuePartitions.GetReportsAsync(fixture.Grains, [id]));
        Assert.True(report.LedgerVersion > 7); // a version of the partition's epoch: newer than anything reported before
        Assert.Equal(300, Assert.Single(report.Buckets).AmountMinor);
    }

    [Fact]
    public async Task A_ledger_that_cannot_be_loaded_answers_unavailable_and_loads_once_storage_answers()
    {
        var id = await NewAccountAsync("unread");
        RevenueEntry[] batch = [new("inv-1", 1000, fixture.Clock.GetUtcNow())];
        fixture.Storage.FailReadsOfStates("ledger");
        try
        {
            var refused = await RecordAsync(fixture, id, batch);
            Assert.Equal(RevenueReasons.Unavailable, Assert.Single(refused).ReasonCode);
            var error = await Assert.ThrowsAsync<CrmException>(() => TotalAsync(fixture, id));
            Assert.Equal(ErrorKind.Unavailable, error.Kind);
        }
        finally
        {
            fixture.Storage.HealStates("ledger");
        }
        Assert.Equal(RevenueStatus.Accepted, (await RecordAsync(fixture, id, batch)).Single().Status);
        Assert.Equal(1000, await TotalAsync(fixture, id));
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
        RevenueIngest.RecordAsync(fixture.Grains, entries.Select(e => new AccountRevenueEntry(accountId, e)).ToArray());

    /// <summary>The window total, summed from the events the ledger lists (all of them count: none are dated ahead).</summary>
    internal static async Task<long> TotalAsync(ClusterFixture fixture, string accountId) =>
        (await RevenuePartitions.For(fixture.Grains, accountId).ListEventsAsync(accountId, "", 10_000)).Sum(e => e.AmountMinor);

    internal static async Task Eventually(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++) await Task.Delay(50);
        Assert.True(condition(), "the checkpoint did not happen within 5 s");
    }
}

/// <summary>Ledger months and their ageing, on a cluster of its own (these tests move the product clock).</summary>
public class LedgerMonthTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task A_checkpoint_writes_only_the_months_that_changed_and_midnight_ageing_drops_whole_months()
    {
        var id = Ids.New("months");
        await fixture.Grains.GetGrain<IAccountGrain>(id).CreateAsync(AccountGrainTests.NewAccount(id));
        var ledger = fixture.Grains.GetGrain<IAccountGrain>(id).GetGrainId();
        var now = fixture.Clock.GetUtcNow(); // 2026-11-27 08:00 UTC
        var old = now.AddDays(-364);         // 2025-11-28: still counts today
        await RevenuePartitionTests.RecordAsync(fixture, id, [new RevenueEntry("old", 100, old), new RevenueEntry("recent", 50, now)]);
        await RevenuePartitionTests.Eventually(() => LedgerRecords(ledger).SequenceEqual(["ledger-202511", "ledger-202611", "ledger-head"]));

        var oldMonth = fixture.Storage.Peek<LedgerMonth>("ledger-202511", ledger);
        var head = fixture.Storage.Peek<LedgerHead>("ledger-head", ledger);
        await RevenuePartitionTests.RecordAsync(fixture, id, [new RevenueEntry("recent-2", 25, now)]);
        await RevenuePartitionTests.Eventually(() => fixture.Storage.Peek<LedgerMonth>("ledger-202611", ledger)!.Events.Count == 2);
        Assert.Same(oldMonth, fixture.Storage.Peek<LedgerMonth>("ledger-202511", ledger)); // untouched month not rewritten
        Assert.Same(head, fixture.Storage.Peek<LedgerHead>("ledger-head", ledger));        // no new month: head not rewritten

        // Just past the midnight on which November 2025's last day is forgotten (2025-11-30 + 366 days).
        fixture.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 1, 0, 0, 1, TimeSpan.Zero));
        Assert.Equal(75, await RevenuePartitionTests.TotalAsync(fixture, id));
        var december = fixture.Clock.GetUtcNow();
        Assert.Equal(RevenueStatus.Accepted, (await RevenuePartitionTests.RecordAsync(fixture, id, [new RevenueEntry("december", 5, december)])).Single().Status);
        await RevenuePartitionTests.Eventually(() => LedgerRecords(ledger).SequenceEqual(["ledger-202611", "ledger-202612", "ledger-head"]));
        Assert.Equal(80, await RevenuePartitionTests.TotalAsync(fixture, id));
        Assert.Equal(RevenueStatus.Expired, (await RevenuePartitionTests.RecordAsync(fixture, id, [new RevenueEntry("old", 100, old)])).Single().Status);
        Assert.Equal(RevenueStatus.Duplicate, (await RevenuePartitionTests.RecordAsync(fixture, id, [new RevenueEntry("recent", 50, now)])).Single().Status);
    }

    private IReadOnlyList<string> LedgerRecords(GrainId grainId) =>
        fixture.Storage.StateNamesOf(grainId).Where(n => n.StartsWith("ledger", StringComparison.Ordinal)).ToArray();
}
