namespace ActorCrm.Domain.Revenue;

/// <summary>One saved part of a ledger month: segment <see cref="Index"/> of month <see cref="Month"/> (yyyyMM).</summary>
public readonly record struct SegmentKey(int Month, int Index) : IComparable<SegmentKey>
{
    public int CompareTo(SegmentKey other) => (Month, Index).CompareTo((other.Month, other.Index));
}

/// <summary>
/// One account's revenue ledger as plain logic: the events it remembers, kept by the month they are
/// dated in (the unit ageing drops) and within a month in segments of at most
/// <see cref="SegmentCapacity"/> events (the unit it is saved in: new events go to the month's last
/// segment until it is full), and the day buckets derived from them. It classifies each event of a
/// batch (accepted, duplicate, expired, rejected), applies the accepted ones, reports which segments
/// changed (only those are saved), undoes them exactly if the save fails, and ages out whole months
/// once none of their ids needs remembering.
/// </summary>
/// <remarks>
/// Cost of a batch: O(its events) to classify and apply, and a save writes only the open segment of
/// each month it added to (at most <see cref="SegmentCapacity"/> events each), never O(the ledger):
/// a busy account's save costs what a quiet one's does.
/// Bound: at most <c>maxEvents</c> remembered ids (≈ 100 bytes each with a 20-character id).
/// </remarks>
public sealed class RevenueLedger
{
    /// <summary>
    /// Events per saved segment (≈ 8 KB serialized with 20-character ids). A save rewrites the open
    /// segment, half full on average, for every month it adds to: small keeps that cheap for the
    /// one-event visits of a large book; a busy account's 100,000 events are ~800 records.
    /// </summary>
    public const int DefaultSegmentCapacity = 128;

    private readonly RevenueWindowRules _rules;
    private readonly int _maxEvents;

    /// <summary>Every remembered event by id, with the segment holding it: one lookup per duplicate check.</summary>
    private readonly Dictionary<string, (RememberedEvent Event, SegmentKey Segment)> _events = new(StringComparer.Ordinal);

    /// <summary>Month → its segments' event ids, in the order they were added.</summary>
    private readonly SortedDictionary<int, List<List<string>>> _months = [];

    /// <summary>Day → amount, kept in day order: a save reports the live buckets in order without sorting them.</summary>
    private readonly SortedList<DateOnly, long> _buckets = [];
    private readonly List<(string EventId, SegmentKey Segment, DateOnly Day, long Amount, bool NewDay, bool NewSegment)> _applied = [];
    private readonly HashSet<SegmentKey> _touched = [];

    /// <summary>Segments changed by committed batches since the last checkpoint, and months dropped since then.</summary>
    private readonly HashSet<SegmentKey> _dirty = [];
    private readonly HashSet<int> _droppedMonths = [];

    /// <summary>Σ |bucket|: bounding it keeps every window total (a subset sum) a 64-bit amount.</summary>
    private Int128 _absoluteSum;

    /// <param name="segments">The saved segments (a segment saved before segments existed is a whole month at index 0).</param>
    /// <param name="segmentCounts">Segments per month as the head lists them; a listed segment that was never saved stays empty.</param>
    public RevenueLedger(RevenueWindowRules rules, int maxEvents, long versionFloor = 0, IEnumerable<LedgerMonth>? segments = null,
        IReadOnlyDictionary<int, int>? segmentCounts = null, int segmentCapacity = DefaultSegmentCapacity)
    {
        _rules = rules;
        _maxEvents = maxEvents;
        SegmentCapacity = segmentCapacity;
        Version = versionFloor;
        foreach (var (month, count) in segmentCounts ?? new Dictionary<int, int>())
            SegmentsOf(month, count);
        foreach (var segment in segments ?? [])
        {
            Version = Math.Max(Version, segment.Version);
            var key = new SegmentKey(segment.Month, segment.Segment);
            var ids = SegmentsOf(segment.Month, segment.Segment + 1)[segment.Segment];
            foreach (var (id, e) in segment.Events)
            {
                if (!_events.TryAdd(id, (e, key))) continue;
                ids.Add(id);
                AddToBucket(e.Day, e.AmountMinor);
            }
        }
    }

    public int SegmentCapacity { get; }

    /// <summary>The saved version: grows with every save; the ranking ignores reports not newer than what it holds.</summary>
    public long Version { get; private set; }

    public int EventCount => _events.Count;

    /// <summary>yyyyMM of every month holding segments, ascending.</summary>
    public IReadOnlyCollection<int> Months => _months.Keys;

    /// <summary>How many segments each month has (the last one is where new events go).</summary>
    public IReadOnlyDictionary<int, int> SegmentCounts => _months.ToDictionary(m => m.Key, m => m.Value.Count);

    /// <summary>Segments the uncommitted <see cref="Apply"/> changed.</summary>
    public IReadOnlyCollection<SegmentKey> TouchedSegments => _touched;

    /// <summary>Whether an <see cref="Apply"/> changed something that is neither committed nor undone yet.</summary>
    public bool HasChanges => _applied.Count > 0;

    /// <summary>Whether committed changes (or dropped months) wait for the next checkpoint.</summary>
    public bool IsDirty => _dirty.Count > 0 || _droppedMonths.Count > 0;

    public static int MonthOf(DateOnly day) => day.Year * 100 + day.Month;

    /// <summary>Every day bucket held, by day (days that no longer count included until their month is dropped).</summary>
    public IReadOnlyList<DayAmount> SortedBuckets() => _buckets.Select(b => new DayAmount(b.Key, b.Value)).ToArray();

    /// <summary>The buckets that count today or will (expired days left out): what the ranking needs.</summary>
    public DayAmount[] LiveBuckets(DateOnly today)
    {
        var days = _buckets.Keys;
        var amounts = _buckets.Values;
        var first = 0;
        while (first < days.Count && _rules.IsExpired(days[first], today)) first++; // expired days come first
        var live = new DayAmount[days.Count - first];
        for (var i = first; i < days.Count; i++) live[i - first] = new DayAmount(days[i], amounts[i]);
        return live;
    }

    /// <summary>What the ranking needs, in one pass: the live buckets and the window position they give today.</summary>
    public (DayAmount[] Buckets, WindowPosition Position) ReportAt(DateOnly today)
    {
        var live = (DayAmount[])LiveBuckets(today);
        return (live, _rules.PositionAt(live, today));
    }

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
            var (eventId, segment, day, amount, newDay, newSegment) = _applied[i];
            var segments = _months[segment.Month];
            var ids = segments[segment.Index];
            ids.RemoveAt(ids.Count - 1); // undone in reverse, so it is the segment's last id
            if (newSegment) segments.RemoveAt(segment.Index);
            if (segments.Count == 0) _months.Remove(segment.Month);
            _events.Remove(eventId);
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

    /// <summary>
    /// Records that the changes of the last <see cref="Apply"/> are durable (in the revenue log) as
    /// <paramref name="version"/>; their segments wait for the next checkpoint. With nothing applied
    /// it only moves the version (a fresh one after a reload, so readers see it grow).
    /// </summary>
    public void Commit(long version)
    {
        Version = version;
        _dirty.UnionWith(_touched);
        _applied.Clear();
        _touched.Clear();
    }

    /// <summary>
    /// What a checkpoint writes: copies of the segments committed changes touched and the months
    /// dropped, at the committed version. Events of an uncommitted <see cref="Apply"/> are left out
    /// (a checkpoint may run while a batch waits for its log append). Clears the dirty marks.
    /// </summary>
    public LedgerCheckpoint TakeCheckpoint()
    {
        HashSet<string>? uncommitted = _applied.Count > 0 ? _applied.Select(a => a.EventId).ToHashSet(StringComparer.Ordinal) : null;
        var checkpoint = new LedgerCheckpoint(
            Version,
            _months.ToDictionary(m => m.Key, m => m.Value.Count),
            _dirty.Order().Select(s => SnapshotOf(s, Version, uncommitted)).ToArray(),
            [.. _droppedMonths]);
        _dirty.Clear();
        _droppedMonths.Clear();
        return checkpoint;
    }

    /// <summary>Marks a checkpoint's segments and dropped months dirty again (its write failed).</summary>
    public void Redirty(LedgerCheckpoint checkpoint)
    {
        foreach (var segment in checkpoint.Segments)
            if (_months.ContainsKey(segment.Month)) _dirty.Add(new SegmentKey(segment.Month, segment.Segment));
        _droppedMonths.UnionWith(checkpoint.DroppedMonths);
    }

    /// <summary>What to save of one segment: a copy of its events, stamped with the version being saved.</summary>
    public LedgerMonth SnapshotOf(SegmentKey segment, long version) => SnapshotOf(segment, version, null);

    private LedgerMonth SnapshotOf(SegmentKey segment, long version, HashSet<string>? leaveOut)
    {
        var ids = _months.TryGetValue(segment.Month, out var segments) && segment.Index < segments.Count ? segments[segment.Index] : [];
        var events = new Dictionary<string, RememberedEvent>(ids.Count, StringComparer.Ordinal);
        foreach (var id in ids)
            if (leaveOut is null || !leaveOut.Contains(id)) events[id] = _events[id].Event;
        return new LedgerMonth { Month = segment.Month, Segment = segment.Index, Version = version, Events = events };
    }

    /// <summary>Months none of whose ids needs remembering any longer (each of their days is forgotten).</summary>
    public IReadOnlyList<int> ForgottenMonths(DateOnly today) =>
        _months.Count == 0 || !_rules.IsForgotten(LastDayOf(_months.Keys.First()), today)
            ? [] // months are in order: if the oldest is remembered, all are
            : _months.Keys.Where(m => _rules.IsForgotten(LastDayOf(m), today)).ToArray();

    /// <summary>Forgets whole months (their events and buckets); the next checkpoint deletes their records.</summary>
    public void Drop(IEnumerable<int> months)
    {
        foreach (var month in months.ToArray())
        {
            if (!_months.Remove(month, out var segments)) continue;
            _droppedMonths.Add(month);
            _dirty.RemoveWhere(s => s.Month == month);
            foreach (var id in segments.SelectMany(ids => ids)) _events.Remove(id);
            foreach (var day in _buckets.Keys.Where(d => MonthOf(d) == month).ToArray())
            {
                _absoluteSum -= Int128.Abs(_buckets[day]);
                _buckets.Remove(day);
            }
        }
    }

    /// <summary>The remembered events dated inside the window of <paramref name="today"/>, after an id, in ordinal id order.</summary>
    public IReadOnlyList<RevenueEntry> EventsAfter(string afterEventId, int limit, DateOnly today) =>
        _events
            .Where(e => !_rules.IsExpired(e.Value.Event.Day, today) && string.CompareOrdinal(e.Key, afterEventId) > 0)
            .OrderBy(e => e.Key, StringComparer.Ordinal)
            .Take(limit)
            .Select(e => new RevenueEntry(e.Key, e.Value.Event.AmountMinor, new DateTimeOffset(e.Value.Event.OccurredAtUtcTicks, TimeSpan.Zero)))
            .ToArray();

    private RevenueOutcome ApplyOne(RevenueEntry entry, DateOnly today)
    {
        var day = _rules.LocalDay(entry.OccurredAt);
        var remembered = new RememberedEvent(day, entry.AmountMinor, entry.OccurredAt.UtcTicks);
        if (_events.TryGetValue(entry.EventId, out var found) && found.Event is var earlier && !_rules.IsForgotten(earlier.Day, today))
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
        var segments = SegmentsOf(month, 0);
        var newSegment = segments.Count == 0 || segments[^1].Count >= SegmentCapacity;
        if (newSegment) segments.Add([]);
        var segment = new SegmentKey(month, segments.Count - 1);
        segments[^1].Add(entry.EventId);
        _events[entry.EventId] = (remembered, segment);
        AddToBucket(day, entry.AmountMinor);
        _applied.Add((entry.EventId, segment, day, entry.AmountMinor, newDay, newSegment));
        _touched.Add(segment);
        return RevenueOutcome.Accepted;
    }

    /// <summary>The month's segments, with empty ones added up to <paramref name="atLeast"/>.</summary>
    private List<List<string>> SegmentsOf(int month, int atLeast)
    {
        if (!_months.TryGetValue(month, out var segments)) _months[month] = segments = [];
        while (segments.Count < atLeast) segments.Add([]);
        return segments;
    }

    private void AddToBucket(DateOnly day, long amount)
    {
        var sum = _buckets.GetValueOrDefault(day);
        _absoluteSum += Int128.Abs((Int128)sum + amount) - Int128.Abs(sum);
        _buckets[day] = sum + amount;
    }

    private static DateOnly LastDayOf(int month) => new DateOnly(month / 100, month % 100, 1).AddMonths(1).AddDays(-1);
}

/// <summary>
/// One account ledger's checkpoint: the segment counts of every month held (the head), copies of the
/// segments that changed, and the months to delete, all at <see cref="Version"/>.
/// </summary>
public sealed record LedgerCheckpoint(
    long Version,
    IReadOnlyDictionary<int, int> SegmentCounts,
    IReadOnlyList<LedgerMonth> Segments,
    IReadOnlyList<int> DroppedMonths);
