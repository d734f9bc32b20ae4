using ActorCrm.Domain.Revenue;

namespace ActorCrm.UnitTests.Revenue;

public class RevenueLedgerTests
{
    private static readonly RevenueWindowRules Rules = new(365, TimeZoneInfo.Utc);
    private static readonly DateOnly Today = new(2026, 11, 27);

    private static DateTimeOffset At(DateOnly day, int hour = 10) => new(day.ToDateTime(new TimeOnly(hour, 0)), TimeSpan.Zero);

    private static RevenueEntry Entry(string id, long amount, DateOnly day) => new(id, amount, At(day));

    private static RevenueLedger NewLedger(int maxEvents = 100) => new(Rules, maxEvents);

    [Fact]
    public void Accepts_counts_and_totals_by_day()
    {
        var ledger = NewLedger();
        var outcomes = ledger.Apply([Entry("a", 500, Today), Entry("b", 300, Today.AddDays(-10)), Entry("c", -100, Today)], Today);
        Assert.All(outcomes, o => Assert.Equal(RevenueStatus.Accepted, o.Status));
        Assert.Equal((700L, true), ledger.TotalAt(Today));
    }

    [Fact]
    public void The_same_id_is_a_duplicate_with_the_same_payload_and_a_conflict_otherwise()
    {
        var ledger = NewLedger();
        var outcomes = ledger.Apply([Entry("a", 500, Today), Entry("a", 500, Today), Entry("a", 501, Today)], Today);
        Assert.Equal([RevenueStatus.Accepted, RevenueStatus.Duplicate, RevenueStatus.Rejected], outcomes.Select(o => o.Status));
        Assert.Equal(RevenueReasons.EventIdConflict, outcomes[2].ReasonCode);
        Assert.Equal(500, ledger.TotalAt(Today).Total);
    }

    [Fact]
    public void An_id_is_a_conflict_even_when_resent_with_a_date_in_another_month()
    {
        var ledger = NewLedger();
        ledger.Apply([Entry("a", 500, Today)], Today);
        var outcome = ledger.Apply([Entry("a", 500, Today.AddMonths(-2))], Today).Single();
        Assert.Equal(RevenueReasons.EventIdConflict, outcome.ReasonCode);
    }

    [Fact]
    public void Window_edges_are_exact()
    {
        var ledger = NewLedger();
        var outcomes = ledger.Apply(
        [
            Entry("oldest-counting", 1, Today.AddDays(-364)),
            Entry("expired", 2, Today.AddDays(-365)),
            Entry("tomorrow", 4, Today.AddDays(1)),
            Entry("too-far", 8, Today.AddDays(2)),
        ], Today);
        Assert.Equal([RevenueStatus.Accepted, RevenueStatus.Expired, RevenueStatus.Accepted, RevenueStatus.Rejected], outcomes.Select(o => o.Status));
        Assert.Equal(RevenueReasons.TooFarInFuture, outcomes[3].ReasonCode);
        Assert.Equal(1, ledger.TotalAt(Today).Total);          // tomorrow's does not count yet
        Assert.Equal(4, ledger.TotalAt(Today.AddDays(1)).Total); // the oldest aged out, tomorrow's counts
        Assert.Equal(Today.AddDays(1), Rules.PositionAt(ledger.SortedBuckets(), Today).NextChange);
        Assert.Equal([new DayAmount(Today.AddDays(1), 4)], ledger.LiveBuckets(Today.AddDays(1)));
    }

    [Fact]
    public void Undo_restores_the_exact_previous_state()
    {
        var ledger = new RevenueLedger(Rules, 100, chunkCapacity: 2);
        ledger.Apply([Entry("a", 500, Today)], Today);
        ledger.Commit(1);
        ledger.Apply([Entry("b", 7, Today), Entry("c", -500, Today), Entry("d", 1, Today.AddMonths(-3))], Today);
        Assert.Equal([0, 1], ledger.TouchedChunks.Order());
        ledger.Undo();
        Assert.Equal([new DayAmount(Today, 500)], ledger.SortedBuckets());
        Assert.Equal([0], ledger.Chunks);
        Assert.Equal(1, ledger.NextChunk);
        Assert.Equal(1, ledger.EventCount);
        Assert.Empty(ledger.TouchedChunks);
        Assert.Equal(RevenueStatus.Accepted, ledger.Apply([Entry("b", 7, Today)], Today).Single().Status);
    }

    [Fact]
    public void A_batch_writes_only_the_open_chunk_whatever_the_dates_of_its_events()
    {
        var ledger = NewLedger();
        ledger.Apply([Entry("a", 1, Today.AddMonths(-6)), Entry("b", 1, Today.AddMonths(-5)), Entry("c", 1, Today)], Today);
        ledger.Commit(1);
        ledger.Apply([Entry("d", 1, Today.AddMonths(-9)), Entry("e", 1, Today), Entry("a", 1, Today.AddMonths(-6))], Today); // a is a duplicate
        Assert.Equal([0], ledger.TouchedChunks);
        var saved = ledger.SnapshotOf(0, 2);
        Assert.Equal(["a", "b", "c", "d", "e"], saved.Events.Keys.Order());
        Assert.Equal(2, saved.Version);
    }

    [Fact]
    public void A_ledger_reloaded_from_its_chunks_is_the_same_ledger()
    {
        var ledger = new RevenueLedger(Rules, 100, chunkCapacity: 2);
        ledger.Apply([Entry("a", 5, Today.AddMonths(-6)), Entry("b", 7, Today.AddMonths(-6)), Entry("c", 11, Today)], Today);
        var chunks = ledger.Chunks.Select(c => ledger.SnapshotOf(c, c == 1 ? 4 : 3)).ToArray();
        var reloaded = new RevenueLedger(Rules, 100, versionFloor: 2, chunks, ledger.Chunks, ledger.NextChunk, chunkCapacity: 2);
        Assert.Equal(4, reloaded.Version);
        Assert.Equal(ledger.SortedBuckets(), reloaded.SortedBuckets());
        Assert.Equal(3, reloaded.EventCount);
        Assert.Equal(RevenueStatus.Duplicate, reloaded.Apply([Entry("b", 7, Today.AddMonths(-6))], Today).Single().Status);
        Assert.Equal(9, new RevenueLedger(Rules, 100, versionFloor: 9, chunks).Version);
    }

    [Fact]
    public void A_full_chunk_is_sealed_and_a_batch_writes_only_the_open_one()
    {
        var ledger = new RevenueLedger(Rules, 100, chunkCapacity: 3);
        ledger.Apply([.. Enumerable.Range(0, 4).Select(i => Entry($"e{i}", 1, Today))], Today);
        Assert.Equal([0, 1], ledger.TouchedChunks.Order());
        ledger.Commit(1);

        ledger.Apply([Entry("e4", 1, Today), Entry("e5", 1, Today)], Today);
        Assert.Equal([1], ledger.TouchedChunks); // the sealed chunk is not rewritten
        Assert.Equal(["e3", "e4", "e5"], ledger.SnapshotOf(1, 2).Events.Keys.Order());
        ledger.Commit(2);

        ledger.Apply([Entry("e6", 1, Today)], Today); // opens a third chunk
        Assert.Equal([0, 1, 2], ledger.Chunks);
        ledger.Undo();
        Assert.Equal([0, 1], ledger.Chunks);
        Assert.Equal(6, ledger.EventCount);
        Assert.Equal(RevenueStatus.Accepted, ledger.Apply([Entry("e6", 1, Today)], Today).Single().Status);
        Assert.Equal([2], ledger.TouchedChunks);
    }

    [Fact]
    public void A_ledger_reloads_from_its_chunks_with_a_listed_chunk_missing()
    {
        var ledger = new RevenueLedger(Rules, 100, chunkCapacity: 2);
        ledger.Apply([.. Enumerable.Range(0, 5).Select(i => Entry($"e{i}", 10, Today))], Today);
        // Chunk 1 was listed by the index but its write never landed.
        var saved = new[] { ledger.SnapshotOf(0, 1), ledger.SnapshotOf(2, 1) };
        var reloaded = new RevenueLedger(Rules, 100, 0, saved, [0, 1, 2], 3, chunkCapacity: 2);
        Assert.Equal([0, 1, 2], reloaded.Chunks);
        Assert.Equal(30, reloaded.TotalAt(Today).Total);
        reloaded.Apply([Entry("e2", 10, Today), Entry("new", 1, Today)], Today);
        // The lost e2 is accepted again; the open (last) chunk had room for one, then a fourth opens.
        Assert.Equal([2, 3], reloaded.TouchedChunks.Order());
        Assert.Equal(41, reloaded.TotalAt(Today).Total);
    }

    [Fact]
    public void Events_that_net_to_zero_keep_the_account_in_the_window()
    {
        var ledger = NewLedger();
        ledger.Apply([Entry("inv", 100, Today), Entry("cn", -100, Today)], Today);
        Assert.Equal((0L, true), ledger.TotalAt(Today));
    }

    [Fact]
    public void The_ledger_is_bounded()
    {
        var outcomes = NewLedger(maxEvents: 2).Apply([Entry("a", 1, Today), Entry("b", 1, Today), Entry("c", 1, Today)], Today);
        Assert.Equal(RevenueReasons.LedgerFull, outcomes[2].ReasonCode);
    }

    [Fact]
    public void Totals_never_leave_the_range_of_a_long()
    {
        var ledger = NewLedger(maxEvents: 100_000);
        var big = Enumerable.Range(0, 9300).Select(i => Entry($"e{i}", 1_000_000_000_000_000, Today.AddDays(-(i % 40)))).ToArray();
        var outcomes = ledger.Apply(big, Today);
        Assert.Contains(outcomes, o => o.ReasonCode == RevenueReasons.TotalOutOfRange);
        Assert.True(ledger.TotalAt(Today).Total > 0);
        // A credit note brings the sum back into range, and the next invoice fits again.
        Assert.Equal(RevenueStatus.Accepted, ledger.Apply([Entry("credit", -1_000_000_000_000_000, Today)], Today).Single().Status);
        Assert.Equal(RevenueStatus.Accepted, ledger.Apply([Entry("again", 1_000_000_000_000_000, Today)], Today).Single().Status);
    }

    [Fact]
    public void Ids_are_remembered_one_day_after_their_event_stops_counting_then_expire()
    {
        var ledger = NewLedger();
        ledger.Apply([Entry("a", 5, Today.AddDays(-364))], Today);
        Assert.Equal(0, ledger.TotalAt(Today.AddDays(1)).Total); // no longer counts
        Assert.Equal(RevenueStatus.Duplicate, ledger.Apply([Entry("a", 5, Today.AddDays(-364))], Today.AddDays(1))[0].Status);
        Assert.Equal(RevenueStatus.Expired, ledger.Apply([Entry("a", 5, Today.AddDays(-364))], Today.AddDays(2))[0].Status);
    }

    [Fact]
    public void A_chunk_is_forgotten_whole_once_its_newest_day_is_forgotten()
    {
        var ledger = new RevenueLedger(Rules, 100, chunkCapacity: 2);
        var newestOfFirst = new DateOnly(2025, 12, 31);
        ledger.Apply([Entry("first", 1, new DateOnly(2025, 12, 1)), Entry("last", 2, newestOfFirst), Entry("recent", 4, Today)], Today);
        ledger.Commit(1);
        var forgottenOn = newestOfFirst.AddDays(366); // IsForgotten: day ≤ today − W − 1
        Assert.Empty(ledger.ForgottenChunks(forgottenOn.AddDays(-1)));
        Assert.Equal([0], ledger.ForgottenChunks(forgottenOn));
        Assert.Empty(ledger.ForgottenChunks(forgottenOn)); // checked once a day
        ledger.Drop([0]);
        Assert.Equal([1], ledger.Chunks);
        Assert.Equal(1, ledger.EventCount);
        Assert.Equal([new DayAmount(Today, 4)], ledger.SortedBuckets());
        Assert.Equal([0], ledger.TakeCheckpoint().DroppedChunks);
    }

    [Fact]
    public void A_forgotten_id_held_by_a_newer_chunk_can_be_reused_and_the_reuse_undone()
    {
        var ledger = new RevenueLedger(Rules, 100, chunkCapacity: 4);
        var old = Today.AddDays(-364);
        ledger.Apply([Entry("x", 5, old), Entry("fresh", 1, Today)], Today);
        ledger.Commit(1);
        var later = Today.AddDays(2); // x is forgotten; its chunk is not (it holds "fresh")
        Assert.Empty(ledger.ForgottenChunks(later));

        Assert.Equal(RevenueStatus.Accepted, ledger.Apply([Entry("x", 9, later)], later).Single().Status);
        Assert.Equal(2, ledger.EventCount);
        Assert.Equal([new DayAmount(Today, 1), new DayAmount(later, 9)], ledger.SortedBuckets());
        ledger.Undo();
        Assert.Equal([new DayAmount(old, 5), new DayAmount(Today, 1)], ledger.SortedBuckets());
        Assert.Equal(["fresh", "x"], ledger.SnapshotOf(0, 1).Events.Keys.Order());
    }

    [Fact]
    public void A_checkpoint_holds_committed_chunks_only_and_leaves_out_a_batch_still_waiting_for_its_log_append()
    {
        var ledger = new RevenueLedger(Rules, 100, chunkCapacity: 2);
        ledger.Apply([Entry("a", 1, Today), Entry("old", 2, new DateOnly(2026, 6, 1)), Entry("b", 1, Today)], Today);
        ledger.Commit(5);
        ledger.Apply([Entry("pending", 4, Today)], Today); // not yet durable

        var checkpoint = ledger.TakeCheckpoint();
        Assert.Equal(5, checkpoint.Version);
        Assert.Equal([0, 1], checkpoint.ChunkNumbers);
        Assert.Equal(["b"], checkpoint.Chunks.Single(c => c.Chunk == 1).Events.Keys);
        Assert.False(ledger.IsDirty);

        ledger.Commit(6); // the pending batch's append succeeded: its chunk is dirty again
        Assert.Equal(["b", "pending"], ledger.TakeCheckpoint().Chunks.Single().Events.Keys.Order());
    }

    [Fact]
    public void A_failed_checkpoint_marks_its_chunks_and_dropped_chunks_dirty_again()
    {
        var ledger = new RevenueLedger(Rules, 100, chunkCapacity: 1);
        ledger.Apply([Entry("old", 2, new DateOnly(2026, 1, 1)), Entry("a", 1, Today)], Today);
        ledger.Commit(1);
        ledger.TakeCheckpoint();
        ledger.Drop([0]);
        ledger.Apply([Entry("b", 1, Today)], Today);
        ledger.Commit(2);

        var failed = ledger.TakeCheckpoint();
        Assert.Equal([0], failed.DroppedChunks);
        Assert.Equal([1, 2], failed.ChunkNumbers);
        ledger.Redirty(failed);
        var retry = ledger.TakeCheckpoint();
        Assert.Equal([0], retry.DroppedChunks);
        Assert.Equal(["b"], retry.Chunks.Single().Events.Keys);
    }

    [Fact]
    public void Local_days_follow_the_configured_time_zone()
    {
        var shanghai = new RevenueWindowRules(365, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
        var lateUtc = new DateTimeOffset(2026, 11, 27, 17, 0, 0, TimeSpan.Zero); // 01:00 on the 28th in Beijing
        Assert.Equal(new DateOnly(2026, 11, 28), shanghai.LocalDay(lateUtc));
        Assert.Equal(new DateOnly(2026, 11, 27), Rules.LocalDay(lateUtc));
    }
}
