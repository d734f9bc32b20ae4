using ActorCrm.Ranking;

namespace ActorCrm.Ranking.Tests;

public class RollingWindowTests
{
    private static readonly DateOnly Day0 = new(2025, 1, 1);

    [Fact]
    public void Revenue_counts_from_its_day_for_WindowDays_days()
    {
        var window = new RevenueWindow(); // 365
        window.Add(Day0, 100);

        Assert.Equal(0, window.TotalAt(Day0.AddDays(-1)));
        Assert.Equal(100, window.TotalAt(Day0));
        Assert.Equal(100, window.TotalAt(Day0.AddDays(364)));
        Assert.Equal(0, window.TotalAt(Day0.AddDays(365))); // today − 365 < d fails
        Assert.Equal(Day0.AddDays(365), window.ExpiresOn(Day0));
        Assert.Equal([new ExpiryEntry(Day0.AddDays(365), 100, 1)], window.ExpirySchedule(Day0.AddDays(10)));
        Assert.Equal(1, window.EventCountAt(Day0.AddDays(364)));
        Assert.Equal(0, window.EventCountAt(Day0.AddDays(365)));
        Assert.Empty(window.ExpirySchedule(Day0.AddDays(365)));
    }

    [Fact]
    public void Refunds_net_per_day_and_can_make_the_total_negative()
    {
        var window = new RevenueWindow(30);
        window.Add(Day0, 100);
        window.Add(Day0, -100); // fully refunded day: total 0, but two events are in the window
        Assert.Equal(0, window.TotalAt(Day0));
        Assert.Equal(2, window.EventCountAt(Day0));
        Assert.Equal([new WindowBucket(Day0, 0, 2)], window.Buckets);
        window.Add(Day0.AddDays(1), 50);
        window.Add(Day0.AddDays(2), -80);
        Assert.Equal(-30, window.TotalAt(Day0.AddDays(2)));
        Assert.Equal(
            [new ExpiryEntry(Day0.AddDays(30), 0, 2), new ExpiryEntry(Day0.AddDays(31), 50, 1), new ExpiryEntry(Day0.AddDays(32), -80, 1)],
            window.ExpirySchedule(Day0.AddDays(2)));
        Assert.Equal(
            [new WindowChange(Day0.AddDays(30), 0, -2), new WindowChange(Day0.AddDays(31), -50, -1), new WindowChange(Day0.AddDays(32), 80, -1)],
            window.ChangesAfter(Day0.AddDays(2)));
        Assert.Equal(-80, window.TotalAt(Day0.AddDays(31)));
        Assert.Throws<OverflowException>(() =>
        {
            window.Add(Day0.AddDays(3), long.MaxValue);
            window.Add(Day0.AddDays(3), 1);
        });
    }

    [Fact]
    public void Future_dated_revenue_starts_and_expires_in_the_change_schedule()
    {
        var window = new RevenueWindow(10);
        window.Add(Day0, 7);
        window.Add(Day0.AddDays(3), 5); // dated after "today"
        window.Add(Day0.AddDays(-10), 1); // already expired today

        Assert.Equal(7, window.TotalAt(Day0));
        Assert.Equal([new ExpiryEntry(Day0.AddDays(10), 7, 1)], window.ExpirySchedule(Day0));
        Assert.Equal(
            [new WindowChange(Day0.AddDays(3), 5, 1), new WindowChange(Day0.AddDays(10), -7, -1), new WindowChange(Day0.AddDays(13), -5, -1)],
            window.ChangesAfter(Day0));

        Assert.Equal(1, window.Prune(Day0));
        Assert.Equal(2, window.BucketCount);
        Assert.Equal(0, window.Prune(Day0));

        RevenueWindow restored = RevenueWindow.FromBuckets(10, window.Buckets);
        Assert.Equal(window.Buckets, restored.Buckets);
        Assert.Equal(window.ChangesAfter(Day0), restored.ChangesAfter(Day0));
    }

    [Fact]
    public void One_day_window_counts_only_the_day_itself()
    {
        var window = new RevenueWindow(1);
        window.Add(Day0, 3);
        Assert.Equal(3, window.TotalAt(Day0));
        Assert.Equal(0, window.TotalAt(Day0.AddDays(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RevenueWindow(0));
    }

    [Fact]
    public void Random_windows_match_a_brute_force_ledger()
    {
        var rng = new Random(99);
        for (int seed = 0; seed < 400; seed++)
        {
            int windowDays = rng.Next(3) == 0 ? 365 : rng.Next(1, 12);
            var window = new RevenueWindow(windowDays);
            var events = new List<(DateOnly Day, long Amount)>();
            for (int i = rng.Next(0, 30); i > 0; i--)
            {
                DateOnly day = Day0.AddDays(rng.Next(-20, 40));
                long amount = rng.Next(5) switch
                {
                    0 => -rng.Next(1, 100),
                    1 => 0,
                    _ => rng.Next(1, 1_000),
                };
                window.Add(day, amount);
                events.Add((day, amount));
            }

            IEnumerable<(DateOnly Day, long Amount)> InWindow(DateOnly today) =>
                events.Where(e => today.DayNumber - windowDays < e.Day.DayNumber && e.Day <= today);

            DateOnly now = Day0.AddDays(rng.Next(-5, 30));
            Assert.Equal(InWindow(now).Sum(e => e.Amount), window.TotalAt(now));
            Assert.Equal(InWindow(now).Count(), window.EventCountAt(now));

            // Expiry schedule: exactly the counting days, each leaving at d + W.
            var expected = InWindow(now)
                .GroupBy(e => e.Day)
                .Select(g => new ExpiryEntry(g.Key.AddDays(windowDays), g.Sum(e => e.Amount), g.Count()))
                .OrderBy(e => e.ExpiresOn);
            Assert.Equal(expected, window.ExpirySchedule(now));

            // Replaying the change schedule from now reproduces total and event count on every later day.
            IReadOnlyList<WindowChange> changes = window.ChangesAfter(now);
            Assert.All(changes, c => Assert.True(c.Day > now && (c.DeltaMinor != 0 || c.DeltaEvents != 0)));
            long total = window.TotalAt(now);
            int count = window.EventCountAt(now);
            int next = 0;
            for (DateOnly t = now.AddDays(1); t <= Day0.AddDays(40 + windowDays + 1); t = t.AddDays(1))
            {
                while (next < changes.Count && changes[next].Day <= t)
                {
                    total += changes[next].DeltaMinor;
                    count += changes[next++].DeltaEvents;
                }

                Assert.Equal(InWindow(t).Sum(e => e.Amount), total);
                Assert.Equal(InWindow(t).Count(), count);
            }

            // Pruning drops only what can never count again.
            window.Prune(now);
            Assert.All(window.Buckets, b => Assert.True(b.Day.DayNumber > now.DayNumber - windowDays));
            for (DateOnly t = now; t <= now.AddDays(windowDays + 45); t = t.AddDays(7))
            {
                Assert.Equal(InWindow(t).Sum(e => e.Amount), window.TotalAt(t));
                Assert.Equal(InWindow(t).Count(), window.EventCountAt(t));
            }
        }
    }

    [Fact]
    public void Calendar_yields_changed_states_at_midnight()
    {
        var calendar = new ExpiryCalendar(Day0);
        var a = new RevenueWindow(3);
        a.Add(Day0, 10);
        a.Add(Day0.AddDays(-1), 5);
        var b = new RevenueWindow(3);
        b.Add(Day0, 4);
        b.Add(Day0.AddDays(2), -4); // refund dated later
        Assert.Equal(new TotalUpdate("a", 15, 2), calendar.Track("a", a));
        Assert.Equal(new TotalUpdate("b", 4, 1), calendar.Track("b", b));

        Assert.Equal(Day0.AddDays(2), calendar.NextChangeDay);
        Assert.Empty(calendar.AdvanceTo(Day0.AddDays(1)));
        // Day 2: a loses the 5 from day −1; b books −4 → 0 but has two events in the window.
        Assert.Equal([new TotalUpdate("a", 10, 1), new TotalUpdate("b", 0, 2)], calendar.AdvanceTo(Day0.AddDays(2)));
        // Day 3: a's 10 leaves (a is out of the window); b's +4 leaves: −4 with one event.
        Assert.Equal([new TotalUpdate("a", 0, 0), new TotalUpdate("b", -4, 1)], calendar.AdvanceTo(Day0.AddDays(3)));
        Assert.False(calendar.TryGetState("a", out _)); // nothing pending: forgotten
        Assert.Equal(1, calendar.AccountCount);
        // b's refund (dated day 2) leaves on day 5: out of the window.
        Assert.Equal([new TotalUpdate("b", 0, 0)], calendar.AdvanceTo(Day0.AddDays(9)));
        Assert.Null(calendar.NextChangeDay);
        Assert.Equal(0, calendar.AccountCount);

        Assert.Throws<ArgumentOutOfRangeException>(() => calendar.AdvanceTo(Day0));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            calendar.SetSchedule("c", 1, 1, [new WindowChange(Day0.AddDays(9), -1, -1)])); // not after today
        calendar.SetSchedule("c", 1, 1, [new WindowChange(Day0.AddDays(10), -1, -1)]);
        Assert.True(calendar.TryGetState("c", out TotalUpdate c) && c == new TotalUpdate("c", 1, 1));
        Assert.True(calendar.Remove("c"));
        Assert.False(calendar.Remove("c"));
        Assert.Null(calendar.NextChangeDay);
    }

    [Fact]
    public void Calendar_jump_over_several_days_reports_only_net_changes()
    {
        var calendar = new ExpiryCalendar(Day0);
        var b = new RevenueWindow(3);
        b.Add(Day0, 4);
        b.Add(Day0.AddDays(1), 4);
        b.Add(Day0.AddDays(2), -4); // future-dated refund
        calendar.Track("b", b);
        // Days 1–3 in one jump: +4, then −4, then day 0's +4 leaves: 4 → 0 with 2 events in the window.
        Assert.Equal([new TotalUpdate("b", 0, 2)], calendar.AdvanceTo(Day0.AddDays(3)));
        var c = new RevenueWindow(2);
        c.Add(Day0.AddDays(3), 5);
        c.Add(Day0.AddDays(4), -5); // future: at day 4 total 0, at day 5 −5, at day 6 gone
        Assert.Equal(new TotalUpdate("c", 5, 1), calendar.Track("c", c));
        // Jump from day 3 to day 6: b ends at 0 with no events (was 0 with events: left the window),
        // c ends out of the window.
        Assert.Equal([new TotalUpdate("b", 0, 0), new TotalUpdate("c", 0, 0)], calendar.AdvanceTo(Day0.AddDays(6)));
    }

    [Fact]
    public void Calendar_overflow_throws_and_changes_nothing()
    {
        var calendar = new ExpiryCalendar(Day0);
        calendar.SetSchedule("a", long.MaxValue - 1, 1, [new WindowChange(Day0.AddDays(1), 1, 1), new WindowChange(Day0.AddDays(2), 1, 1)]);
        Assert.Throws<OverflowException>(() => calendar.AdvanceTo(Day0.AddDays(2)));
        Assert.Equal(Day0, calendar.Today);
        Assert.Equal([new TotalUpdate("a", long.MaxValue, 2)], calendar.AdvanceTo(Day0.AddDays(1)));
    }

    /// <summary>
    /// End to end: accounts book revenue into their windows and report (total, event count, schedule);
    /// the ranking keeps only those in the index and the calendar, and ages revenue out at midnight by
    /// itself. Every day the index must equal the brute-force oracle over the raw event lists: ranked
    /// = accounts with an event in the window and a positive total; non-positive = with an event in
    /// the window and a total ≤ 0; accounts without events in the window are not tracked at all.
    /// </summary>
    [Fact]
    public void Index_fed_by_windows_and_calendar_matches_the_oracle_day_by_day()
    {
        for (int seed = 0; seed < 40; seed++)
        {
            var rng = new Random(seed);
            int windowDays = seed % 5 == 0 ? 365 : rng.Next(1, 8);
            string[] ids = Enumerable.Range(0, rng.Next(1, 25)).Select(i => $"acct-{i:00}").ToArray();
            var windows = new Dictionary<string, RevenueWindow>();
            var events = new Dictionary<string, List<(DateOnly Day, long Amount)>>();
            var index = new ConcentrationIndex();
            DateOnly today = Day0;
            var calendar = new ExpiryCalendar(today);

            for (int step = 0; step < 40; step++)
            {
                // Some events, each reported by its account: state today + schedule.
                for (int i = rng.Next(0, 6); i > 0; i--)
                {
                    string id = ids[rng.Next(ids.Length)];
                    DateOnly day = rng.Next(5) switch
                    {
                        0 => today.AddDays(-rng.Next(0, windowDays + 2)), // back-dated, maybe already expired
                        1 => today.AddDays(rng.Next(1, 4)),                // future-dated
                        _ => today,
                    };
                    if (!windows.TryGetValue(id, out RevenueWindow? window))
                    {
                        windows[id] = window = new RevenueWindow(windowDays);
                        events[id] = [];
                    }

                    long amount = rng.Next(7) switch
                    {
                        0 => -rng.Next(1, 2_000),                  // refund
                        1 => long.MaxValue / 64 - rng.Next(1_000), // big, still no long overflow within a window
                        2 when events[id].Count > 0 => -events[id][^1].Amount, // exact refund: total 0, still in the window
                        _ => rng.Next(1, 4),                       // ties
                    };

                    window.Add(day, amount);
                    events[id].Add((day, amount));
                    index.Apply(calendar.Track(id, window));
                }

                if (rng.Next(10) == 0 && windows.Count > 0)
                {
                    string gone = windows.Keys.ElementAt(rng.Next(windows.Count)); // account deleted
                    windows.Remove(gone);
                    events.Remove(gone);
                    calendar.Remove(gone);
                    index.Remove(gone);
                }

                // Midnight(s): the ranking alone applies what aged out (or started).
                DateOnly next = today.AddDays(rng.Next(3) == 0 ? rng.Next(2, windowDays + 3) : 1);
                var before = windows.Keys.ToDictionary(id => id, id => calendar.TryGetState(id, out TotalUpdate s) ? s : new TotalUpdate(id, 0, 0));
                IReadOnlyList<TotalUpdate> updates = calendar.AdvanceTo(next);
                foreach (TotalUpdate update in updates)
                {
                    index.Apply(update);
                }

                today = next;
                foreach (RevenueWindow window in windows.Values)
                {
                    window.Prune(today); // the accounts' own housekeeping changes nothing
                }

                var inWindow = events.ToDictionary(
                    kv => kv.Key,
                    kv => kv.Value.Where(e => today.DayNumber - windowDays < e.Day.DayNumber && e.Day <= today).ToList());
                var truth = inWindow.Where(kv => kv.Value.Count > 0).ToDictionary(kv => kv.Key, kv => kv.Value.Sum(e => e.Amount));
                Assert.Equal(
                    inWindow.Where(kv => kv.Value.Sum(e => e.Amount) != before[kv.Key].TotalMinor || kv.Value.Count > 0 != before[kv.Key].InWindow)
                        .Select(kv => kv.Key).Order(StringComparer.Ordinal),
                    updates.Select(u => u.AccountId));
                Assert.Equal(truth.Count, index.TrackedCount);
                foreach ((string id, long total) in truth)
                {
                    Assert.True(index.TryGetTotal(id, out long held) && held == total, $"seed {seed}: {id} holds {held}, truth {total}");
                }

                index.ValidateInvariants();
                new Oracle(truth).AssertMatches(index);
            }
        }
    }
}
