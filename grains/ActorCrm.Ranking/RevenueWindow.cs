namespace ActorCrm.Ranking;

/// <summary>One day of an account's ledger: the exact sum of the amounts dated that day and how many events they were.</summary>
public readonly record struct WindowBucket(DateOnly Day, long SumMinor, int EventCount);

/// <summary>Revenue that stops counting on <see cref="ExpiresOn"/> (local day, from its midnight).</summary>
public readonly record struct ExpiryEntry(DateOnly ExpiresOn, long AmountMinor, int EventCount);

/// <summary>
/// On local day <see cref="Day"/> (from its midnight) an account's window total changes by
/// <see cref="DeltaMinor"/> and the number of events in its window by <see cref="DeltaEvents"/>.
/// </summary>
public readonly record struct WindowChange(DateOnly Day, long DeltaMinor, int DeltaEvents);

/// <summary>
/// One account's rolling revenue window: a ledger of day buckets (local day → exact sum and event
/// count of the amounts dated that day). An amount dated on local day d counts on day <c>today</c> iff
/// today − WindowDays &lt; d ≤ today, i.e. from d's midnight until (excluding) d + WindowDays.
/// </summary>
/// <remarks>
/// Pure and clock-free: the caller converts instants to local <see cref="DateOnly"/> with the
/// configured time zone and decides which events are accepted. Event counts are kept because an
/// account whose events net to 0 is still "in the window" (it counts as non-positive), while an
/// account with no event in the window is not ranked at all. Sums and totals are checked: leaving
/// the range of a long throws <see cref="OverflowException"/> (a total is a long by contract).
/// Buckets are kept sorted; booking on today or a recent day is O(1) amortised, back-dating into
/// the middle is O(buckets) (≤ ~WindowDays); every query is O(buckets).
/// </remarks>
public sealed class RevenueWindow
{
    public const int DefaultWindowDays = 365;

    private readonly SortedList<DateOnly, (long Sum, int Events)> _buckets = [];

    public RevenueWindow(int windowDays = DefaultWindowDays)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowDays, 1);
        WindowDays = windowDays;
    }

    public int WindowDays { get; }

    /// <summary>The ledger, oldest day first (for persistence; see <see cref="FromBuckets"/>).</summary>
    public IReadOnlyList<WindowBucket> Buckets =>
        _buckets.Select(kv => new WindowBucket(kv.Key, kv.Value.Sum, kv.Value.Events)).ToList();

    public int BucketCount => _buckets.Count;

    /// <summary>Rebuilds a window from a persisted ledger (days may repeat; they add up).</summary>
    public static RevenueWindow FromBuckets(int windowDays, IEnumerable<WindowBucket> buckets)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        var window = new RevenueWindow(windowDays);
        foreach (WindowBucket bucket in buckets)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(bucket.EventCount, nameof(buckets));
            window.Book(bucket.Day, bucket.SumMinor, bucket.EventCount);
        }

        return window;
    }

    /// <summary>Books one event (negative amount for a refund) on local day <paramref name="day"/>.</summary>
    public void Add(DateOnly day, long amountMinor) => Book(day, amountMinor, 1);

    /// <summary>True iff revenue dated <paramref name="day"/> counts on <paramref name="today"/>.</summary>
    public bool Counts(DateOnly day, DateOnly today) =>
        day <= today && day.DayNumber > today.DayNumber - WindowDays;

    /// <summary>The first day on which revenue dated <paramref name="day"/> no longer counts.</summary>
    public DateOnly ExpiresOn(DateOnly day) => day.AddDays(WindowDays);

    /// <summary>Σ of the amounts that count on <paramref name="today"/>.</summary>
    public long TotalAt(DateOnly today)
    {
        long total = 0;
        foreach ((DateOnly day, (long sum, _)) in _buckets)
        {
            if (Counts(day, today))
            {
                total = checked(total + sum);
            }
        }

        return total;
    }

    /// <summary>How many events count on <paramref name="today"/>; 0 means the account is not in the window.</summary>
    public int EventCountAt(DateOnly today)
    {
        int events = 0;
        foreach ((DateOnly day, (_, int count)) in _buckets)
        {
            if (Counts(day, today))
            {
                events = checked(events + count);
            }
        }

        return events;
    }

    /// <summary>
    /// For every bucket counting on <paramref name="today"/>: the day it stops counting, its amount
    /// and event count, soonest first. A ranking that holds only totals subtracts each amount at
    /// that day's midnight.
    /// </summary>
    public IReadOnlyList<ExpiryEntry> ExpirySchedule(DateOnly today)
    {
        var schedule = new List<ExpiryEntry>();
        foreach ((DateOnly day, (long sum, int events)) in _buckets)
        {
            if (Counts(day, today))
            {
                schedule.Add(new ExpiryEntry(ExpiresOn(day), sum, events));
            }
        }

        return schedule;
    }

    /// <summary>
    /// Every future change after <paramref name="today"/>, merged per day, ascending: expiries
    /// (−amount, −events on d + WindowDays) and, for buckets dated after today, their start
    /// (+amount, +events on d). Feed this to <see cref="ExpiryCalendar.SetSchedule"/>. Without
    /// future-dated buckets it is exactly the negated <see cref="ExpirySchedule"/>.
    /// </summary>
    public IReadOnlyList<WindowChange> ChangesAfter(DateOnly today)
    {
        var deltas = new SortedDictionary<DateOnly, (long Sum, int Events)>();
        foreach ((DateOnly day, (long sum, int events)) in _buckets)
        {
            if (day > today)
            {
                Accumulate(deltas, day, sum, events);
            }

            DateOnly expires = ExpiresOn(day);
            if (expires > today)
            {
                Accumulate(deltas, expires, checked(-sum), -events);
            }
        }

        return deltas
            .Where(kv => kv.Value != (0, 0))
            .Select(kv => new WindowChange(kv.Key, kv.Value.Sum, kv.Value.Events))
            .ToList();
    }

    /// <summary>Drops the buckets that will never count again after <paramref name="today"/>. Returns how many.</summary>
    public int Prune(DateOnly today)
    {
        int removed = 0;
        while (_buckets.Count > 0 && _buckets.Keys[0].DayNumber <= today.DayNumber - WindowDays)
        {
            _buckets.RemoveAt(0);
            removed++;
        }

        return removed;
    }

    private void Book(DateOnly day, long amountMinor, int events)
    {
        (long sum, int count) = _buckets.GetValueOrDefault(day);
        (long Sum, int Events) updated = (checked(sum + amountMinor), checked(count + events));
        if (updated == (0, 0))
        {
            _buckets.Remove(day);
        }
        else
        {
            _buckets[day] = updated;
        }
    }

    private static void Accumulate(SortedDictionary<DateOnly, (long Sum, int Events)> deltas, DateOnly day, long sum, int events)
    {
        (long s, int e) = deltas.GetValueOrDefault(day);
        deltas[day] = (checked(s + sum), checked(e + events));
    }
}
