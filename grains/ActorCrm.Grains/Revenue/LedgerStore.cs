using ActorCrm.Domain.Revenue;
using ActorCrm.Grains.Infrastructure;
using Orleans.Storage;

namespace ActorCrm.Grains.Revenue;

/// <summary>
/// Checkpoints one account's <see cref="RevenueLedger"/> as a small index record ("ledger-index": the
/// chunks held and the next chunk number) and one record per chunk ("ledger-c{n}"), stored under the
/// account's grain id. A checkpoint rewrites only the chunks changed since the last one (each at most
/// a chunk's capacity), and the index only when a chunk appears or goes.
/// </summary>
/// <remarks>
/// Crash safety: the index is written before the chunks it lists (a listed chunk that was never
/// written reads as empty). Events are durable in the revenue partition's log before any checkpoint
/// (<see cref="RevenuePartitionGrain"/>), and the log is truncated only after the checkpoint.
/// A ledger saved by an earlier build (by month, or whole) is read into chunks, rewritten by the
/// first checkpoint, and its old records are then deleted.
/// </remarks>
public sealed class LedgerStore(IGrainStorage storage, GrainId grainId)
{
    private readonly StoredRecord<LedgerIndex> _index = new(storage, grainId, "ledger-index");
    private readonly Dictionary<int, StoredRecord<LedgerChunk>> _chunks = [];
    private LedgerIndex _saved = new();

    /// <summary>Deletes the records of an earlier layout, once a checkpoint has written this one.</summary>
    private List<Func<Task>>? _earlierLayout;

    public static string RecordName(int chunk) => $"ledger-c{chunk}";

    public async Task<RevenueLedger> LoadAsync(RevenueWindowRules rules, int maxEvents)
    {
        _saved = await _index.ReadAsync();
        if (!_index.Exists) return await ReadEarlierLayoutAsync(rules, maxEvents);
        var records = _saved.Chunks.Select(ChunkRecord).ToArray();
        var chunks = await Task.WhenAll(records.Select(r => r.ReadAsync()));
        // A listed chunk without a record was never written: its checkpoint failed after the index's,
        // and the log kept its events until a later checkpoint wrote them. It reads as empty.
        return new RevenueLedger(rules, maxEvents, _saved.VersionFloor, chunks.Where((_, i) => records[i].Exists), _saved.Chunks, _saved.NextChunk);
    }

    /// <summary>
    /// Writes a checkpoint: the index when the chunk list changed, then every changed chunk in
    /// parallel, then deletes the records of dropped chunks (best effort: a chunk the index no longer
    /// lists is never read again). Throws if a write failed.
    /// </summary>
    public async Task SaveAsync(LedgerCheckpoint checkpoint)
    {
        if (checkpoint.NextChunk != _saved.NextChunk || !checkpoint.ChunkNumbers.SequenceEqual(_saved.Chunks))
        {
            var index = new LedgerIndex { Chunks = [.. checkpoint.ChunkNumbers], NextChunk = checkpoint.NextChunk, VersionFloor = checkpoint.Version };
            await _index.WriteAsync(index);
            _saved = index;
        }
        await Task.WhenAll(checkpoint.Chunks.Select(c => ChunkRecord(c.Chunk).WriteAsync(c)));

        var deletions = checkpoint.DroppedChunks.Select(ChunkRecord).Select(r => (Func<Task>)r.ClearAsync).ToList();
        foreach (var dropped in checkpoint.DroppedChunks) _chunks.Remove(dropped);
        if (_earlierLayout is { } earlier) deletions.AddRange(earlier);
        _earlierLayout = null;
        try
        {
            await Task.WhenAll(deletions.Select(delete => delete()));
        }
        catch (Exception)
        {
            // Orphans: nothing lists them any longer.
        }
    }

    private StoredRecord<LedgerChunk> ChunkRecord(int chunk)
    {
        if (!_chunks.TryGetValue(chunk, out var record))
            _chunks[chunk] = record = new StoredRecord<LedgerChunk>(storage, grainId, RecordName(chunk));
        return record;
    }

    /// <summary>A ledger saved by month ("ledger-head" and "ledger-yyyyMM[-k]") or whole ("ledger"), read as chunks and marked for rewriting.</summary>
    private async Task<RevenueLedger> ReadEarlierLayoutAsync(RevenueWindowRules rules, int maxEvents)
    {
        var head = new StoredRecord<LedgerHead>(storage, grainId, "ledger-head");
        var months = await head.ReadAsync();
        IReadOnlyList<(long Version, Dictionary<string, RememberedEvent> Events)> parts;
        long floor;
        if (head.Exists)
        {
            var records = months.Counts()
                .SelectMany(m => Enumerable.Range(0, m.Value).Select(i => new StoredRecord<LedgerMonth>(storage, grainId, i == 0 ? $"ledger-{m.Key}" : $"ledger-{m.Key}-{i}")))
                .ToArray();
            var segments = await Task.WhenAll(records.Select(r => r.ReadAsync()));
            parts = segments.Where((_, i) => records[i].Exists).Select(s => (s.Version, s.Events)).ToArray();
            floor = months.VersionFloor;
            _earlierLayout = [head.ClearAsync, .. records.Select(r => (Func<Task>)r.ClearAsync)];
        }
        else
        {
            var whole = new StoredRecord<LedgerState>(storage, grainId, "ledger");
            var ledger = await whole.ReadAsync();
            if (!whole.Exists) return new RevenueLedger(rules, maxEvents);
            parts = [(ledger.Version, ledger.Events)];
            floor = ledger.Version;
            _earlierLayout = [whole.ClearAsync];
        }
        var chunks = parts.SelectMany(p => p.Events.Chunk(RevenueLedger.DefaultChunkCapacity).Select(events => (p.Version, events)))
            .Select((c, i) => new LedgerChunk { Chunk = i, Version = c.Version, Events = c.events.ToDictionary(StringComparer.Ordinal) });
        var read = new RevenueLedger(rules, maxEvents, floor, chunks);
        read.MarkAllDirty();
        return read;
    }
}
