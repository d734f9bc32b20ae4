using Orleans.Runtime;
using ActorCrm.Domain.Revenue;
using ActorCrm.Grains;
using ActorCrm.IntegrationTests.Infrastructure;

namespace ActorCrm.IntegrationTests.Grains;

[Collection(ClusterCollection.Name)]
public class LedgerGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_failed_ledger_write_accepts_nothing_and_a_resend_counts_once()
    {
        var id = Ids.New("ledger");
        var account = fixture.Grains.GetGrain<IAccountGrain>(id);
        await account.CreateAsync(AccountGrainTests.NewAccount(id));
        var now = fixture.Clock.GetUtcNow();
        RevenueEntry[] batch = [new("inv-1", 1000, now), new("inv-2", 500, now.AddDays(-2))];

        fixture.Storage.FailWritesFor(id);
        try
        {
            var failed = await account.RecordRevenueAsync(batch);
            Assert.All(failed, o => Assert.Equal(RevenueReasons.Unavailable, o.ReasonCode));
            Assert.Equal(0, await account.GetRevenueTotalAsync());
        }
        finally
        {
            fixture.Storage.Heal(id);
        }

        var accepted = await account.RecordRevenueAsync(batch);
        Assert.All(accepted, o => Assert.Equal(RevenueStatus.Accepted, o.Status));
        var resent = await account.RecordRevenueAsync(batch);
        Assert.All(resent, o => Assert.Equal(RevenueStatus.Duplicate, o.Status));
        Assert.Equal(1500, await account.GetRevenueTotalAsync());
    }

    [Fact]
    public async Task A_month_the_head_lists_but_whose_write_failed_reads_as_empty()
    {
        var id = Ids.New("halfsaved");
        var account = fixture.Grains.GetGrain<IAccountGrain>(id);
        await account.CreateAsync(AccountGrainTests.NewAccount(id));
        var now = fixture.Clock.GetUtcNow();

        fixture.Storage.FailWritesOfStates("ledger-2"); // month records fail, the head is written
        try
        {
            var failed = await account.RecordRevenueAsync([new RevenueEntry("inv-1", 1000, now)]);
            Assert.Equal(RevenueReasons.Unavailable, Assert.Single(failed).ReasonCode);
        }
        finally
        {
            fixture.Storage.HealStates("ledger-2");
        }
        var grainId = account.GetGrainId();
        Assert.Contains("ledger-head", fixture.Storage.StateNamesOf(grainId));
        Assert.DoesNotContain(fixture.Storage.StateNamesOf(grainId), n => n.StartsWith("ledger-2", StringComparison.Ordinal));

        // The account re-reads its ledger (the failed save deactivated it): the listed month is empty.
        var accepted = await account.RecordRevenueAsync([new RevenueEntry("inv-1", 1000, now), new RevenueEntry("inv-2", 7, now)]);
        Assert.All(accepted, o => Assert.Equal(RevenueStatus.Accepted, o.Status));
        Assert.Equal(1007, await account.GetRevenueTotalAsync());
    }

    [Fact]
    public async Task An_unknown_account_rejects_its_events_and_is_not_created()
    {
        var id = Ids.New("ghost");
        var account = fixture.Grains.GetGrain<IAccountGrain>(id);
        var outcomes = await account.RecordRevenueAsync([new RevenueEntry("inv-1", 1000, fixture.Clock.GetUtcNow())]);
        Assert.Equal(RevenueReasons.UnknownAccount, Assert.Single(outcomes).ReasonCode);
        Assert.Empty((await account.GetRankingReportsAsync()).Revenue);
    }
}

/// <summary>The ledger saved by month, on a cluster of its own (these tests move the product clock).</summary>
public class LedgerMonthTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task A_batch_rewrites_only_its_months_and_midnight_ageing_drops_whole_months()
    {
        var id = Ids.New("months");
        var account = fixture.Grains.GetGrain<IAccountGrain>(id);
        await account.CreateAsync(AccountGrainTests.NewAccount(id));
        var now = fixture.Clock.GetUtcNow(); // 2026-11-27 08:00 UTC
        var old = now.AddDays(-364);         // 2025-11-28: still counts today
        await account.RecordRevenueAsync([new RevenueEntry("old", 100, old), new RevenueEntry("recent", 50, now)]);
        var grainId = account.GetGrainId();
        Assert.Equal(["ledger-202511", "ledger-202611", "ledger-head"], LedgerRecords(grainId));

        var oldMonth = fixture.Storage.Peek<LedgerMonth>("ledger-202511", grainId);
        var head = fixture.Storage.Peek<LedgerHead>("ledger-head", grainId);
        await account.RecordRevenueAsync([new RevenueEntry("recent-2", 25, now)]);
        Assert.Same(oldMonth, fixture.Storage.Peek<LedgerMonth>("ledger-202511", grainId)); // untouched month not rewritten
        Assert.Same(head, fixture.Storage.Peek<LedgerHead>("ledger-head", grainId));        // no new month: head not rewritten
        Assert.Equal(["recent", "recent-2"], fixture.Storage.Peek<LedgerMonth>("ledger-202611", grainId)!.Events.Keys.Order());

        // Just past the midnight on which November 2025's last day is forgotten (2025-11-30 + 366 days).
        fixture.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 1, 0, 0, 1, TimeSpan.Zero));
        Assert.Equal(75, await account.GetRevenueTotalAsync());
        var december = fixture.Clock.GetUtcNow();
        Assert.Equal(RevenueStatus.Accepted, (await account.RecordRevenueAsync([new RevenueEntry("december", 5, december)])).Single().Status);
        Assert.Equal(["ledger-202611", "ledger-202612", "ledger-head"], LedgerRecords(grainId));
        Assert.Equal(80, await account.GetRevenueTotalAsync());
        Assert.Equal(RevenueStatus.Expired, (await account.RecordRevenueAsync([new RevenueEntry("old", 100, old)])).Single().Status);
        Assert.Equal(RevenueStatus.Duplicate, (await account.RecordRevenueAsync([new RevenueEntry("recent", 50, now)])).Single().Status);
    }

    [Fact]
    public async Task A_busy_month_is_saved_in_segments_and_a_batch_rewrites_only_the_open_one()
    {
        var id = Ids.New("busy");
        var account = fixture.Grains.GetGrain<IAccountGrain>(id);
        await account.CreateAsync(AccountGrainTests.NewAccount(id));
        var grainId = account.GetGrainId();
        var now = fixture.Clock.GetUtcNow();
        var month = RevenueLedger.MonthOf(DateOnly.FromDateTime(now.UtcDateTime));
        var events = Enumerable.Range(0, RevenueLedger.DefaultSegmentCapacity + 88).Select(i => new RevenueEntry($"inv-{i:D4}", 10, now)).ToArray();
        Assert.All(await account.RecordRevenueAsync(events), o => Assert.Equal(RevenueStatus.Accepted, o.Status));
        Assert.Equal([$"ledger-{month}", $"ledger-{month}-1", "ledger-head"], LedgerRecords(grainId));
        Assert.Equal(2, fixture.Storage.Peek<LedgerHead>("ledger-head", grainId)!.SegmentCounts[month]);

        var sealedSegment = fixture.Storage.Peek<LedgerMonth>($"ledger-{month}", grainId);
        await account.RecordRevenueAsync([new RevenueEntry("inv-next", 10, now)]);
        Assert.Same(sealedSegment, fixture.Storage.Peek<LedgerMonth>($"ledger-{month}", grainId));
        Assert.Equal(89, fixture.Storage.Peek<LedgerMonth>($"ledger-{month}-1", grainId)!.Events.Count);

        // A failed write makes the account re-read its ledger: every segment comes back.
        fixture.Storage.FailWritesOfStates($"ledger-{month}");
        try
        {
            Assert.Equal(RevenueReasons.Unavailable, (await account.RecordRevenueAsync([new RevenueEntry("inv-lost", 10, now)])).Single().ReasonCode);
        }
        finally
        {
            fixture.Storage.HealStates($"ledger-{month}");
        }
        Assert.Equal((events.Length + 1) * 10, await account.GetRevenueTotalAsync());
        Assert.All(await account.RecordRevenueAsync(events), o => Assert.Equal(RevenueStatus.Duplicate, o.Status));
    }

    [Fact]
    public async Task A_ledger_saved_whole_by_an_earlier_build_is_moved_into_months_on_first_use()
    {
        var id = Ids.New("legacy");
        var account = fixture.Grains.GetGrain<IAccountGrain>(id);
        await account.CreateAsync(AccountGrainTests.NewAccount(id));
        var grainId = account.GetGrainId();
        var at = fixture.Clock.GetUtcNow().AddDays(-40);
        var legacy = new LedgerState
        {
            Version = 7,
            Buckets = { [DateOnly.FromDateTime(at.UtcDateTime)] = 300 },
            Events = { ["inv-a"] = new RememberedEvent(DateOnly.FromDateTime(at.UtcDateTime), 300, at.UtcTicks) },
        };
        await fixture.Storage.WriteStateAsync("ledger", grainId, new GrainState<LedgerState>(legacy));

        Assert.Equal(300, await account.GetRevenueTotalAsync());
        Assert.DoesNotContain("ledger", LedgerRecords(grainId));
        Assert.Contains("ledger-head", LedgerRecords(grainId));
        Assert.Equal(7, fixture.Storage.Peek<LedgerHead>("ledger-head", grainId)!.VersionFloor);
        Assert.Equal(RevenueStatus.Duplicate, (await account.RecordRevenueAsync([new RevenueEntry("inv-a", 300, at)])).Single().Status);
        var reports = await account.GetRankingReportsAsync();
        Assert.Equal(7, Assert.Single(reports.Revenue).LedgerVersion); // a duplicate writes nothing
    }

    [Fact]
    public async Task A_ledger_that_cannot_be_loaded_answers_unavailable_and_loads_once_storage_answers()
    {
        var id = Ids.New("unread");
        var account = fixture.Grains.GetGrain<IAccountGrain>(id);
        await account.CreateAsync(AccountGrainTests.NewAccount(id));
        RevenueEntry[] batch = [new("inv-1", 1000, fixture.Clock.GetUtcNow())];
        fixture.Storage.FailReadsOfStates("ledger");
        try
        {
            var refused = await account.RecordRevenueAsync(batch);
            Assert.Equal(RevenueReasons.Unavailable, Assert.Single(refused).ReasonCode);
            var error = await Assert.ThrowsAsync<ActorCrm.Domain.Errors.CrmException>(() => account.GetRevenueTotalAsync());
            Assert.Equal(ActorCrm.Domain.Errors.ErrorKind.Unavailable, error.Kind);
        }
        finally
        {
            fixture.Storage.HealStates("ledger");
        }
        Assert.Equal(RevenueStatus.Accepted, (await account.RecordRevenueAsync(batch)).Single().Status);
        Assert.Equal(1000, await account.GetRevenueTotalAsync());
    }

    private IReadOnlyList<string> LedgerRecords(GrainId grainId) =>
        fixture.Storage.StateNamesOf(grainId).Where(n => n.StartsWith("ledger", StringComparison.Ordinal)).ToArray();
}
