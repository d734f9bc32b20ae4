using ActorCrm.Domain.Revenue;

namespace ActorCrm.UnitTests.Revenue;

public class RevenueLedgerTests
{
    private static readonly RevenueWindowRules Rules = new(365, TimeZoneInfo.Utc);
    private static readonly DateOnly Today = new(2026, 11, 27);

    private static DateTimeOffset At(DateOnly day, int hour = 10) => new(day.ToDateTime(new TimeOnly(hour, 0)), TimeSpan.Zero);

    private static RevenueEntry Entry(string id, long amount, DateOnly day) => new(id, amount, At(day));

    [Fact]
    public void Accepts_counts_and_totals_by_day()
    {
        var state = new LedgerState();
        var ledger = new RevenueLedger(state, Rules, 100);
        var outcomes = ledger.Apply([Entry("a", 500, Today), Entry("b", 300, Today.AddDays(-10)), Entry("c", -100, Today)], Today);
        Assert.All(outcomes, o => Assert.Equal(RevenueStatus.Accepted, o.Status));
        Assert.Equal((700L, true), Rules.TotalAt(state.SortedBuckets(), Today));
    }

    [Fact]
    public void The_same_id_is_a_duplicate_with_the_same_payload_and_a_conflict_otherwise()
    {
        var state = new LedgerState();
        var ledger = new RevenueLedger(state, Rules, 100);
        var outcomes = ledger.Apply([Entry("a", 500, Today), Entry("a", 500, Today), Entry("a", 501, Today)], Today);
        Assert.Equal([RevenueStatus.Accepted, RevenueStatus.Duplicate, RevenueStatus.Rejected], outcomes.Select(o => o.Status));
        Assert.Equal(RevenueReasons.EventIdConflict, outcomes[2].ReasonCode);
        Assert.Equal(500, Rules.TotalAt(state.SortedBuckets(), Today).Total);
    }

    [Fact]
    public void Window_edges_are_exact()
    {
        var state = new LedgerState();
        var ledger = new RevenueLedger(state, Rules, 100);
        var outcomes = ledger.Apply(
        [
            Entry("oldest-counting", 1, Today.AddDays(-364)),
            Entry("expired", 2, Today.AddDays(-365)),
            Entry("tomorrow", 4, Today.AddDays(1)),
            Entry("too-far", 8, Today.AddDays(2)),
        ], Today);
        Assert.Equal([RevenueStatus.Accepted, RevenueStatus.Expired, RevenueStatus.Accepted, RevenueStatus.Rejected], outcomes.Select(o => o.Status));
        Assert.Equal(RevenueReasons.TooFarInFuture, outcomes[3].ReasonCode);
        Assert.Equal(1, Rules.TotalAt(state.SortedBuckets(), Today).Total);          // tomorrow's does not count yet
        Assert.Equal(4, Rules.TotalAt(state.SortedBuckets(), Today.AddDays(1)).Total); // the oldest aged out, tomorrow's counts
        Assert.Equal(Today.AddDays(1), Rules.NextChange(state.SortedBuckets(), Today));
    }

    [Fact]
    public void Undo_restores_the_exact_previous_state()
    {
        var state = new LedgerState();
        new RevenueLedger(state, Rules, 100).Apply([Entry("a", 500, Today)], Today);
        var ledger = new RevenueLedger(state, Rules, 100);
        ledger.Apply([Entry("b", 7, Today), Entry("c", -500, Today), Entry("d", 1, Today.AddDays(-3))], Today);
        ledger.Undo();
        Assert.Equal(["a"], state.Events.Keys);
        Assert.Equal([new DayAmount(Today, 500)], state.SortedBuckets());
    }

    [Fact]
    public void Events_that_net_to_zero_keep_the_account_in_the_window()
    {
        var state = new LedgerState();
        new RevenueLedger(state, Rules, 100).Apply([Entry("inv", 100, Today), Entry("cn", -100, Today)], Today);
        Assert.Equal((0L, true), Rules.TotalAt(state.SortedBuckets(), Today));
    }

    [Fact]
    public void The_ledger_is_bounded()
    {
        var state = new LedgerState();
        var outcomes = new RevenueLedger(state, Rules, 2).Apply([Entry("a", 1, Today), Entry("b", 1, Today), Entry("c", 1, Today)], Today);
        Assert.Equal(RevenueReasons.LedgerFull, outcomes[2].ReasonCode);
    }

    [Fact]
    public void Totals_never_leave_the_range_of_a_long()
    {
        var state = new LedgerState();
        var ledger = new RevenueLedger(state, Rules, 100_000);
        var big = Enumerable.Range(0, 9300).Select(i => Entry($"e{i}", 1_000_000_000_000_000, Today)).ToArray();
        var outcomes = ledger.Apply(big, Today);
        Assert.Contains(outcomes, o => o.ReasonCode == RevenueReasons.TotalOutOfRange);
        Assert.True(Rules.TotalAt(state.SortedBuckets(), Today).Total > 0);
    }

    [Fact]
    public void Prune_forgets_ids_one_day_after_their_event_stops_counting()
    {
        var state = new LedgerState();
        new RevenueLedger(state, Rules, 100).Apply([Entry("a", 5, Today.AddDays(-364))], Today);
        var later = new RevenueLedger(state, Rules, 100);
        later.Prune(Today.AddDays(1));
        Assert.Empty(state.Buckets);          // no longer counts
        Assert.True(state.Events.ContainsKey("a")); // still remembered: a resend is a duplicate
        Assert.Equal(RevenueStatus.Duplicate, later.Apply([Entry("a", 5, Today.AddDays(-364))], Today.AddDays(1))[0].Status);
        later.Prune(Today.AddDays(2));
        Assert.Empty(state.Events);
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
