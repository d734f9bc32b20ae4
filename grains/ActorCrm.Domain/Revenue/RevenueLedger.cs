namespace ActorCrm.Domain.Revenue;

/// <summary>
/// One account's revenue ledger as plain logic: the events it remembers, in chunks of at most
/// <see cref="ChunkCapacity"/> in the order they arrived (the unit it is saved in: new events go to
/// the last chunk until it is full), and the day buckets derived from them. It classifies each event
/// of a batch (accepted, duplicate, expired, rejected), applies the accepted ones, undoes them exactly
/// if they could not be made durable, hands out checkpoints of the chunks that changed, and drops a
/// whole chunk once none of its ids needs remembering.
/// </summary>
/// <remarks>
/// Chunks follow arrival, not the events' dates: however the dates of a batch are spread (an import
/// of a year of history), a checkpoint writes one or two chunks per account it touched, never one
/// record per month. Events arriving in date order age out with their chunk; an event that is
/// forgotten while its chunk still holds newer ones stays remembered until the chunk goes (its id
/// can be reused: it then moves to the new event's chunk).
/// Cost of a batch: O(its events). Bound: at most <c>maxEvents</c> remembered ids (≈ 100 bytes each).
/// </remarks>
public sealed class RevenueLedger
{
    /// <summary>Events per saved chunk (≈ 8 KB serialized with 20-character ids); a busy account's 100,000 events are ~800 records.</summary>
    public const int DefaultChunkCapacity = 128;

    private readonly RevenueWindowRules _rules;
    private readonly int _maxEvents;

    /// <summary>Every remembered event by id, with the chunk holding it: one lookup per duplicate check.</summary>
    private readonly Dictionary<string, (RememberedEvent Event, int Chunk)> _events = new(StringComparer.Ordinal);

    private readonly SortedDictionary<int, Chunk> _chunks = [];

    /// <summary>Day → (amount, events), in day order: a report lists the live buckets without sorting them.</summary>
    private readonly SortedList<DateOnly, (long Amount, int Events)> _buckets = [];

    private readonly List<Applied> _applied = [];
    private readonly HashSet<int> _touched = [];

    /// <summary>Chunks changed by committed batches since the last checkpoint, and chunks dropped since then.</summary>
    private readonly HashSet<int> _dirty = [];
    private readonly HashSet<int> _droppedChunks = [];

    /// <summary>Σ |bucket|: bounding it keeps every window total (a subset sum) a 64-bit amount.</summary>
    private Int128 _absoluteSum;

    /// <summary>The day ageing was last checked for (whether an id is forgotten changes only with the day).</summary>
    private DateOnly _agedOn;

    private sealed class Chunk
    {
        public List<string> Ids { get; } = [];

        /// <summary>The latest day of its events: once that is forgotten, the whole chunk is.</summary>
        public DateOnly Newest { get; set; } = DateOnly.MinValue;
    }

    /// <summary>What one accepted event changed, to undo it exactly (ReusedFrom ≥ 0: its id moved out of that chunk).</summary>
    private readonly record struct Applied(
        string EventId, int Chunk, DateOnly Day, long Amount, bool NewChunk, DateOnly PreviousNewest,
        int ReusedFrom, int ReusedIndex, RememberedEvent ReusedEvent);

    /// <param name="chunks">The saved chunks.</param>
    /// <param name="listedChunks">Chunks the index lists; a listed chunk that was never saved stays empty.</param>
    /// <param name="nextChunk">The number the next chunk gets (numbers are never reused).</param>
    public RevenueLedger(RevenueWindowRules rules, int maxEvents, long versionFloor = 0, IEnumerable<LedgerChunk>? chunks = null,
        IEnumerable<int>? listedChunks = null, int nextChunk = 0, int chunkCapacity = DefaultChunkCapacity)
    {
        _rules = rules;
        _maxEvents = maxEvents;
        ChunkCapacity = chunkCapacity;
        Version = versionFloor;
        NextChunk = nextChunk;
        foreach (var number in listedChunks ?? []) ChunkOf(number);
        foreach (var saved in chunks ?? [])
        {
            Version = Math.Max(Version, saved.Version);
            var chunk = ChunkOf(saved.Chunk);
            foreach (var (id, e) in saved.Events)
            {
                if (!_events.TryAdd(id, (e, saved.Chunk))) continue;
                chunk.Ids.Add(id);
                if (e.Day > chunk.Newest) chunk.Newest = e.Day;
                AddToBucket(e.Day, e.AmountMinor, +1);
            }
        }
    }

    public int ChunkCapacity { get; }

    /// <summary>The committed version; the ranking ignores reports not newer than what it holds.</summary>
    public long Version { get; private set; }

    /// <summary>The number the next chunk gets.</summary>
    public int NextChunk { get; private set; }

    public int EventCount => _events.Count;

    /// <summary>The numbers of the chunks held, ascending.</summary>
    public IReadOnlyCollection<int> Chunks => _chunks.Keys;

    /// <summary>Chunks the uncommitted <see cref="Apply"/> changed.</summary>
    public IReadOnlyCollection<int> TouchedChunks => _touched;

    /// <summary>Whether an <see cref="Apply"/> changed something that is neither committed nor undone yet.</summary>
    public bool HasChanges => _applied.Count > 0;

    /// <summary>Whether committed changes (or dropped chunks) wait for the next checkpoint.</summary>
    public bool IsDirty => _dirty.Count > 0 || _droppedChunks.Count > 0;

    /// <summary>Every day bucket held, by day (days that no longer count included until their events are dropped).</summary>
    public IReadOnlyList<DayAmount> SortedBuckets() => _buckets.Select(b => new DayAmount(b.Key, b.Value.Amount)).ToArray();

    /// <summary>The buckets that count today or will (expired days left out): what the ranking needs.</summary>
    public DayAmount[] LiveBuckets(DateOnly today)
    {
        var days = _buckets.Keys;
        var values = _buckets.Values;
        var first = 0;
        while (first < days.Count && _rules.IsExpired(days[first], today)) first++; // expired days come first
        var live = new DayAmount[days.Count - first];
        for (var i = first; i < days.Count; i++) live[i - first] = new DayAmount(days[i], values[i].Amount);
        return live;
    }

    /// <summary>What the ranking needs, in one pass: the live buckets and the window position they give today.</summary>
    public (DayAmount[] Buckets, WindowPosition Position) ReportAt(DateOnly today)
    {
        var live = LiveBuckets(today);
        return (live, _rules.PositionAt(live, today));
    }

    public (long Total, bool InWindow) TotalAt(DateOnly today) => _rules.TotalAt(LiveBuckets(today), today);

    /// <summary>Classifies and applies a batch in order (a repeated id within the batch is a duplicate or a conflict).</summary>
    public IReadOnlyList<RevenueOutcome> Apply(IReadOnlyList<RevenueEntry> entries, DateOnly today)
    {
        var outcomes = new RevenueOutcome[entries.Count];
        for (var i = 0; i < entries.Count; i++) outcomes[i] = ApplyOne(entries[i], today);
        return outcomes;
    }

    /// <summary>Reverts everything <see cref="Apply"/> did since the last commit (after a failed log append).</summary>
    public void Undo()
    {
        for (var i = _applied.Count - 1; i >= 0; i--)
        {
            var a = _applied[i];
            var chunk = _chunks[a.Chunk];
            chunk.Ids.RemoveAt(chunk.Ids.Count - 1); // undone in reverse, so it is the chunk's last id
            chunk.Newest = a.PreviousNewest;
            if (a.NewChunk)
            {
                _chunks.Remove(a.Chunk);
                NextChunk = a.Chunk;
            }
            _events.Remove(a.EventId);
            AddToBucket(a.Day, -a.Amount, -1);
            if (a.ReusedFrom >= 0)
            {
                _chunks[a.ReusedFrom].Ids.Insert(a.ReusedIndex, a.EventId);
                _events[a.EventId] = (a.ReusedEvent, a.ReusedFrom);
                AddToBucket(a.ReusedEvent.Day, a.ReusedEvent.AmountMinor, +1);
            }
        }
        _applied.Clear();
        _touched.Clear();
    }

    /// <summary>
    /// Records that the changes of the last <see cref="Apply"/> are durable (in the revenue log) as
    /// <paramref name="version"/>; their chunks wait for the next checkpoint. With nothing applied
    /// it only moves the version (a fresh one after a reload, so readers see it grow).
    /// </summary>
    public void Commit(long version)
    {
        Version = version;
        _dirty.UnionWith(_touched);
        _applied.Clear();
        _touched.Clear();
    }

    /// <summary>Marks every chunk for the next checkpoint (a ledger read from an older layout is rewritten in this one).</summary>
    public void MarkAllDirty() => _dirty.UnionWith(_chunks.Keys);

    /// <summary>
    /// What a checkpoint writes: the chunk list, copies of the chunks committed changes touched and the
    /// chunks dropped, at the committed version. Events of an uncommitted <see cref="Apply"/> are left
    /// out (a checkpoint may run while a batch waits for its log append). Clears the dirty marks.
    /// </summary>
    public LedgerCheckpoint TakeCheckpoint()
    {
        HashSet<string>? uncommitted = _applied.Count > 0 ? _applied.Select(a => a.EventId).ToHashSet(StringComparer.Ordinal) : null;
        var checkpoint = new LedgerCheckpoint(
            Version,
            [.. _chunks.Keys],
            NextChunk,
            _dirty.Where(_chunks.ContainsKey).Order().Select(c => SnapshotOf(c, Version, uncommitted)).ToArray(),
            [.. _droppedChunks]);
        _dirty.Clear();
        _droppedChunks.Clear();
        return checkpoint;
    }

    /// <summary>Marks a checkpoint's chunks and dropped chunks dirty again (its write failed).</summary>
    public void Redirty(LedgerCheckpoint checkpoint)
    {
        foreach (var chunk in checkpoint.Chunks)
            if (_chunks.ContainsKey(chunk.Chunk)) _dirty.Add(chunk.Chunk);
        _droppedChunks.UnionWith(checkpoint.DroppedChunks);
    }

    /// <summary>What to save of one chunk: a copy of its events, stamped with the version being saved.</summary>
    public LedgerChunk SnapshotOf(int chunk, long version) => SnapshotOf(chunk, version, null);

    private LedgerChunk SnapshotOf(int number, long version, HashSet<string>? leaveOut)
    {
        var ids = _chunks.TryGetValue(number, out var chunk) ? chunk.Ids : [];
        var events = new Dictionary<string, RememberedEvent>(ids.Count, StringComparer.Ordinal);
        foreach (var id in ids)
            if (leaveOut is null || !leaveOut.Contains(id)) events[id] = _events[id].Event;
        return new LedgerChunk { Chunk = number, Version = version, Events = events };
    }

    /// <summary>
    /// Chunks none of whose ids needs remembering any longer, and emptied chunks other than the open
    /// one (checked once per day: nothing is forgotten in between).
    /// </summary>
    public IReadOnlyList<int> ForgottenChunks(DateOnly today)
    {
        if (today == _agedOn) return [];
        _agedOn = today;
        List<int>? forgotten = null;
        foreach (var (number, chunk) in _chunks)
        {
            var gone = chunk.Ids.Count == 0 ? number != NextChunk - 1 : _rules.IsForgotten(chunk.Newest, today);
            if (gone) (forgotten ??= []).Add(number);
        }
        return forgotten ?? (IReadOnlyList<int>)[];
    }

    /// <summary>Forgets whole chunks (their events and what they add to the buckets); the next checkpoint deletes their records.</summary>
    public void Drop(IEnumerable<int> chunks)
    {
        foreach (var number in chunks.ToArray())
        {
            if (!_chunks.Remove(number, out var chunk)) continue;
            _droppedChunks.Add(number);
            _dirty.Remove(number);
            foreach (var id in chunk.Ids)
            {
                var (e, _) = _events[id];
                _events.Remove(id);
                AddToBucket(e.Day, -e.AmountMinor, -1);
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
        var reused = _events.TryGetValue(entry.EventId, out var found);
        if (reused && !_rules.IsForgotten(found.Event.Day, today))
            return found.Event == remembered
                ? RevenueOutcome.Duplicate
                : RevenueOutcome.Rejected(RevenueReasons.EventIdConflict,
                    $"event '{entry.EventId}' was already recorded with a different amount or time");
        if (_rules.IsExpired(day, today)) return RevenueOutcome.Expired;
        if (_rules.IsTooFarAhead(day, today))
            return RevenueOutcome.Rejected(RevenueReasons.TooFarInFuture, $"dated {day:yyyy-MM-dd}; events may be dated at most one day ahead of {today:yyyy-MM-dd}");
        if (!reused && EventCount >= _maxEvents)
            return RevenueOutcome.Rejected(RevenueReasons.LedgerFull, $"the account already holds {_maxEvents} events in its window");
        var sum = _buckets.TryGetValue(day, out var bucket) ? bucket.Amount : 0;
        if (_absoluteSum - Int128.Abs(sum) + Int128.Abs((Int128)sum + entry.AmountMinor) > long.MaxValue)
            return RevenueOutcome.Rejected(RevenueReasons.TotalOutOfRange, "the account's window total would leave the range of a 64-bit amount");

        // A forgotten event whose chunk is still held gives its id up to the new one.
        var (reusedFrom, reusedIndex) = (-1, -1);
        if (reused)
        {
            reusedFrom = found.Chunk;
            reusedIndex = _chunks[reusedFrom].Ids.IndexOf(entry.EventId);
            _chunks[reusedFrom].Ids.RemoveAt(reusedIndex);
            AddToBucket(found.Event.Day, -found.Event.AmountMinor, -1);
            _touched.Add(reusedFrom);
        }

        // The open chunk is the newest one (numbers only grow), while it has room.
        var newChunk = !_chunks.TryGetValue(NextChunk - 1, out var open) || open.Ids.Count >= ChunkCapacity;
        var number = newChunk ? NextChunk : NextChunk - 1;
        var chunk = newChunk ? ChunkOf(number) : open!;
        var previousNewest = chunk.Newest;
        chunk.Ids.Add(entry.EventId);
        if (day > chunk.Newest) chunk.Newest = day;
        _events[entry.EventId] = (remembered, number);
        AddToBucket(day, entry.AmountMinor, +1);
        _applied.Add(new Applied(entry.EventId, number, day, entry.AmountMinor, newChunk, previousNewest, reusedFrom, reusedIndex, found.Event));
        _touched.Add(number);
        return RevenueOutcome.Accepted;
    }

    private Chunk ChunkOf(int number)
    {
        if (!_chunks.TryGetValue(number, out var chunk)) _chunks[number] = chunk = new Chunk();
        if (number >= NextChunk) NextChunk = number + 1;
        return chunk;
    }

    private void AddToBucket(DateOnly day, long amount, int events)
    {
        var (sum, count) = _buckets.GetValueOrDefault(day);
        _absoluteSum += Int128.Abs((Int128)sum + amount) - Int128.Abs(sum);
        if (count + events == 0) _buckets.Remove(day);
        else _buckets[day] = (sum + amount, count + events);
    }
}

/// <summary>
/// One account ledger's checkpoint: the chunks it holds (the index) and the next chunk number, copies
/// of the chunks that changed, and the chunks to delete, all at <see cref="Version"/>.
/// </summary>
public sealed record LedgerCheckpoint(
    long Version,
    IReadOnlyList<int> ChunkNumbers,
    int NextChunk,
    IReadOnlyList<LedgerChunk> Chunks,
    IReadOnlyList<int> DroppedChunks);
