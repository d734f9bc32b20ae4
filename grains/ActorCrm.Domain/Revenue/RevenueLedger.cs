namespace ActorCrm.Domain.Revenue;

/// <summary>
/// One account's revenue ledger as plain logic: the events it remembers, kept by the month they are
/// dated in (the unit it is saved in), and the day buckets derived from them. It classifies each
/// event of a batch (accepted, duplicate, expired, rejected), applies the accepted ones, reports
/// which months changed (only those are saved), undoes them exactly if the save fails, and ages out
/// whole months once none of their ids needs remembering.
/// </summary>
/// <remarks>
/// Cost of a batch: O(its events × months held) for the duplicate checks, never O(the ledger).
/// Bound: at most <c>maxEvents</c> remembered ids (≈ 100 bytes each with a 20-character id).
/// </remarks>
public sealed class RevenueLedger
{
    private readonly RevenueWindowRules _rules;
    private readonly int _maxEvents;
    private readonly SortedDictionary<int, Dictionary<string, RememberedEvent>> _months = [];
    private readonly Dictionary<DateOnly, long> _buckets = [];
    private readonly List<(string EventId, int Month, DateOnly Day, long Amount, bool NewDay)> _applied = [];
    private readonly HashSet<int> _touched = [];

    /// <summary>Σ |bucket|: bounding it keeps every window total (a subset sum) a 64-bit amount.</summary>
    private Int128 _absoluteSum;

    public RevenueLedger(RevenueWindowRules rules, int maxEvents, long versionFloor = 0, IEnumerable<LedgerMonth>? months = null)
    {
        _rules = rules;
        _maxEvents = maxEvents;
        Version = versionFloor;
        foreach (var month in months ?? [])
        {
            Version = Math.Max(Version, month.Version);
            var events = MonthEvents(month.Month);
            foreach (var (id, e) in month.Events)
            {
                events[id] = e;
                AddToBucket(e.Day, e.AmountMinor);
                EventCount++;
            }
        }
    }

    /// <summary>The saved version: grows with every save; the ranking ignores reports not newer than what it holds.</summary>
    public long Version { get; private set; }

    public int EventCount { get; private set; }

    /// <summary>yyyyMM of every month holding events, ascending.</summary>
    public IReadOnlyCollection<int> Months => _months.Keys;

    /// <summary>Months the last <see cref="Apply"/> changed (to be saved).</summary>
    public IReadOnlyCollection<int> TouchedMonths => _touched;

    public bool HasChanges => _applied.Count > 0;

    public static int MonthOf(DateOnly day) => day.Year * 100 + day.Month;

    /// <summary>Every day bucket held, by day (days that no longer count included until their month is dropped).</summary>
    public IReadOnlyList<DayAmount> SortedBuckets() =>
        _buckets.OrderBy(b => b.Key).Select(b => new DayAmount(b.Key, b.Value)).ToArray();

    /// <summary>The buckets that count today or will (expired days left out): what the ranking needs.</summary>
    public IReadOnlyList<DayAmount> LiveBuckets(DateOnly today) =>
        _buckets.Where(b => !_rules.IsExpired(b.Key, today)).OrderBy(b => b.Key).Select(b => new DayAmount(b.Key, b.Value)).ToArray();

    public (long Total, bool InWindow) TotalAt(DateOnly today) =>
        _rules.TotalAt(_buckets.Select(b => new DayAmount(b.Key, b.Value)), today);

    /// <summary>Classifies and applies a batch in order (a repeated id within the batch is a duplicate or a conflict).</summary>
    public IReadOnlyList<RevenueOutcome> Apply(IReadOnlyList<RevenueEntry> entries, DateOnly today)
    {
        var outcomes = new RevenueOutcome[entries.Count];
        for (var i = 0; i < entries.Count; i++) outcomes[i] = ApplyOne(entries[i], today);
        return outcomes;
    }

    /// <summary>Reverts everything <see cref="Apply"/> did since the last save (after a failed write).</summary>
    public void Undo()
    {
        for (var i = _applied.Count - 1; i >= 0; i--)
        {
            var (eventId, month, day, amount, newDay) = _applied[i];
            var events = _months[month];
            events.Remove(eventId);
            if (events.Count == 0) _months.Remove(month);
            EventCount--;
            _absoluteSum -= Int128.Abs(_buckets[day]);
            if (newDay) _buckets.Remove(day);
            else
            {
                _buckets[day] -= amount;
                _absoluteSum += Int128.Abs(_buckets[day]);
            }
        }
        _applied.Clear();
        _touched.Clear();
    }

    /// <summary>Records that the changes were saved as <paramref name="version"/>.</summary>
    public void Saved(long version)
    {
        Version = version;
        _applied.Clear();
        _touched.Clear();
    }

    /// <summary>What to save of one month: a copy of its events, stamped with the version being saved.</summary>
    public LedgerMonth SnapshotOf(int month, long version) => new()
    {
        Month = month,
        Version = version,
        Events = _months.TryGetValue(month, out var events) ? new(events, StringComparer.Ordinal) : new(StringComparer.Ordinal),
    };

    /// <summary>Months none of whose ids needs remembering any longer (each of their days is forgotten).</summary>
    public IReadOnlyList<int> ForgottenMonths(DateOnly today) =>
        _months.Keys.Where(m => _rules.IsForgotten(LastDayOf(m), today)).ToArray();

    /// <summary>Forgets whole months (their events and buckets).</summary>
    public void Drop(IEnumerable<int> months)
    {
        foreach (var month in months.ToArray())
        {
            if (!_months.Remove(month, out var events)) continue;
            EventCount -= events.Count;
            foreach (var day in _buckets.Keys.Where(d => MonthOf(d) == month).ToArray())
            {
                _absoluteSum -= Int128.Abs(_buckets[day]);
                _buckets.Remove(day);
            }
        }
    }

    /// <summary>The remembered events dated inside the window of <paramref name="today"/>, after an id, in ordinal id order.</summary>
    public IReadOnlyList<RevenueEntry> EventsAfter(string afterEventId, int limit, DateOnly today) =>
        _months.Values.SelectMany(m => m)
            .Where(e => !_rules.IsExpired(e.Value.Day, today) && string.CompareOrdinal(e.Key, afterEventId) > 0)
            .OrderBy(e => e.Key, StringComparer.Ordinal)
            .Take(limit)
            .Select(e => new RevenueEntry(e.Key, e.Value.AmountMinor, new DateTimeOffset(e.Value.OccurredAtUtcTicks, TimeSpan.Zero)))
            .ToArray();

    private RevenueOutcome ApplyOne(RevenueEntry entry, DateOnly today)
    {
        var day = _rules.LocalDay(entry.OccurredAt);
        var remembered = new RememberedEvent(day, entry.AmountMinor, entry.OccurredAt.UtcTicks);
        if (Find(entry.EventId) is { } earlier && !_rules.IsForgotten(earlier.Day, today))
            return earlier == remembered
                ? RevenueOutcome.Duplicate
                : RevenueOutcome.Rejected(RevenueReasons.EventIdConflict,
                    $"event '{entry.EventId}' was already recorded with a different amount or time");
        if (_rules.IsExpired(day, today)) return RevenueOutcome.Expired;
        if (_rules.IsTooFarAhead(day, today))
            return RevenueOutcome.Rejected(RevenueReasons.TooFarInFuture, $"dated {day:yyyy-MM-dd}; events may be dated at most one day ahead of {today:yyyy-MM-dd}");
        if (EventCount >= _maxEvents)
            return RevenueOutcome.Rejected(RevenueReasons.LedgerFull, $"the account already holds {_maxEvents} events in its window");
        var newDay = !_buckets.TryGetValue(day, out var sum);
        if (_absoluteSum - Int128.Abs(sum) + Int128.Abs((Int128)sum + entry.AmountMinor) > long.MaxValue)
            return RevenueOutcome.Rejected(RevenueReasons.TotalOutOfRange, "the account's window total would leave the range of a 64-bit amount");

        var month = MonthOf(day);
        MonthEvents(month)[entry.EventId] = remembered;
        EventCount++;
        AddToBucket(day, entry.AmountMinor);
        _applied.Add((entry.EventId, month, day, entry.AmountMinor, newDay));
        _touched.Add(month);
        return RevenueOutcome.Accepted;
    }

    private RememberedEvent? Find(string eventId)
    {
        foreach (var events in _months.Values)
            if (events.TryGetValue(eventId, out var e)) return e;
        return null;
    }

    private Dictionary<string, RememberedEvent> MonthEvents(int month)
    {
        if (!_months.TryGetValue(month, out var events)) _months[month] = events = new(StringComparer.Ordinal);
        return events;
    }

    private void AddToBucket(DateOnly day, long amount)
    {
        var sum = _buckets.GetValueOrDefault(day);
        _absoluteSum += Int128.Abs((Int128)sum + amount) - Int128.Abs(sum);
        _buckets[day] = sum + amount;
    }

    private static DateOnly LastDayOf(int month) => new DateOnly(month / 100, month % 100, 1).AddMonths(1).AddDays(-1);
}
