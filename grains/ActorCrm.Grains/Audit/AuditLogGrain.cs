using ActorCrm.Grains.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;
using Orleans.Storage;

namespace ActorCrm.Grains.Audit;

/// <summary>
/// One partition of the audit trail; see <see cref="IAuditLogGrain"/>. Stored as numbered segments
/// (audit-0000000000, …), each written once and never changed: a segment holds the entries of one
/// group commit (appends that arrive while a write is in flight go out together in the next one).
/// A head record remembers how far the segments go, refreshed every <see cref="HeadEvery"/>
/// segments; an activation reads it and probes forward to the first missing segment.
/// </summary>
[Reentrant]
public sealed class AuditLogGrain(
    [FromKeyedServices(StorageNames.Large)] IGrainStorage storage,
    [FromKeyedServices(ProductClock.Key)] TimeProvider clock) : Grain, IAuditLogGrain
{
    private const int HeadEvery = 64;

    /// <summary>Segments whose entries are kept in memory for queries (older ones are read again when a query reaches them).</summary>
    private const int CachedSegments = 256;

    private StoredRecord<AuditHead> _head = null!;
    private long _nextSegment;
    private long _nextSequence;
    private DateTimeOffset _lastTime;

    private readonly List<AuditEntry> _pending = [];
    private Task _writing = Task.CompletedTask;
    private Task? _nextWrite;

    /// <summary>Entries of segments read or written by this activation, by segment number (a bounded cache).</summary>
    private readonly SortedDictionary<long, IReadOnlyList<AuditEntry>> _segments = new();

    private int Partition => (int)this.GetPrimaryKeyLong();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _head = new StoredRecord<AuditHead>(storage, this.GetGrainId(), "audit-head");
        _nextSegment = (await _head.ReadAsync()).NextSegment;
        // Segments written after the head was last saved: probe forward to the first missing one.
        while (true)
        {
            var segment = await Segment(_nextSegment).ReadAsync();
            if (segment.Entries.Count == 0) break;
            Remember(_nextSegment, segment.Entries);
            _nextSegment++;
        }
        if (_segments.Count == 0 && _nextSegment > 0)
            Remember(_nextSegment - 1, (await Segment(_nextSegment - 1).ReadAsync()).Entries);
        if (_segments.Count > 0 && _segments[_segments.Keys.Max()] is { Count: > 0 } last)
        {
            _nextSequence = last[^1].Sequence + 1;
            _lastTime = last[^1].Time;
        }
    }

    public Task AppendAsync(IReadOnlyList<AuditEntry> entries)
    {
        foreach (var entry in entries)
        {
            // Time never goes back within a partition, so its segments are in time order.
            var now = clock.GetUtcNow();
            _lastTime = now > _lastTime ? now : _lastTime;
            var sequence = _nextSequence++;
            _pending.Add(entry with { Time = _lastTime, Sequence = sequence, Partition = Partition, EventId = $"{Partition}-{sequence}" });
        }
        return _nextWrite ??= WriteWhenFreeAsync();
    }

    private async Task WriteWhenFreeAsync()
    {
        await Task.Yield(); // appends queued behind this one join it
        await _writing;
        _nextWrite = null;
        var entries = _pending.ToList();
        var write = WriteSegmentAsync(entries);
        _writing = write.ContinueWith(_ => { }, TaskScheduler.Current);
        await write;
    }

    private async Task WriteSegmentAsync(List<AuditEntry> entries)
    {
        var number = _nextSegment;
        await Segment(number).WriteAsync(new AuditSegment { Entries = entries });
        // Stored: these entries leave the pending list (a failed write keeps them for the next one).
        _pending.RemoveRange(0, entries.Count);
        _nextSegment = number + 1;
        Remember(number, entries);
        if (_nextSegment % HeadEvery == 0) await _head.WriteAsync(new AuditHead { NextSegment = _nextSegment });
    }

    public async Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query)
    {
        var page = new List<AuditEntry>();
        for (var number = _nextSegment - 1; number >= 0 && page.Count < query.Limit; number--)
        {
            var entries = _segments.TryGetValue(number, out var cached) ? cached : Remember(number, (await Segment(number).ReadAsync()).Entries);
            if (entries.Count == 0) continue;
            // Segments are in time order: once a segment ends before the range, the older ones do too.
            if (query.From is { } from && entries[^1].Time < from) break;
            for (var i = entries.Count - 1; i >= 0 && page.Count < query.Limit; i--)
                if (query.Matches(entries[i])) page.Add(entries[i]);
        }
        return page;
    }

    private IReadOnlyList<AuditEntry> Remember(long number, IReadOnlyList<AuditEntry> entries)
    {
        _segments[number] = entries;
        if (_segments.Count > CachedSegments) _segments.Remove(_segments.Keys.First());
        return entries;
    }

    private StoredRecord<AuditSegment> Segment(long number) => new(storage, this.GetGrainId(), $"audit-{number:D10}");
}

[GenerateSerializer, Alias("actorcrm.state.AuditHead")]
public sealed class AuditHead
{
    /// <summary>Every segment below this number is stored (later ones may be too: an activation probes).</summary>
    [Id(0)] public long NextSegment { get; set; }
}

[GenerateSerializer, Alias("actorcrm.state.AuditSegment")]
public sealed class AuditSegment
{
    [Id(0)] public List<AuditEntry> Entries { get; set; } = [];
}
