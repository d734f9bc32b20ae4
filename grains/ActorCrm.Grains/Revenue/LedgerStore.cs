using ActorCrm.Domain.Revenue;
using ActorCrm.Grains.Infrastructure;
using Orleans.Storage;

namespace ActorCrm.Grains.Revenue;

/// <summary>
/// Checkpoints one account's <see cref="RevenueLedger"/> as a small head record ("ledger-head": the
/// months held and each month's segment count) and one record per segment ("ledger-yyyyMM" for a
/// month's first segment, "ledger-yyyyMM-k" for the others), stored under the account's grain id.
/// A checkpoint rewrites only the segments changed since the last one (each at most a segment's
/// capacity); the head only when a month or a segment appears or a month is dropped.
/// </summary>
/// <remarks>
/// Crash safety: the head is written before the segments it lists (a listed segment that was never
/// written reads as empty). Events are durable in the revenue partition's log before any checkpoint
/// (<see cref="RevenuePartitionGrain"/>), and the log is truncated only after the checkpoint.
/// </remarks>
public sealed class LedgerStore(IGrainStorage storage, GrainId grainId)
{
    /// <summary>The state name of the whole-ledger record kept before months (migrated on first load).</summary>
    private const string LegacyStateName = "ledger";

    private readonly StoredRecord<LedgerHead> _head = new(storage, grainId, "ledger-head");
    private readonly Dictionary<SegmentKey, StoredRecord<LedgerMonth>> _segments = [];
    private LedgerHead _saved = new();

    public static string RecordName(SegmentKey segment) =>
        segment.Index == 0 ? $"ledger-{segment.Month}" : $"ledger-{segment.Month}-{segment.Index}";

    public async Task<RevenueLedger> LoadAsync(RevenueWindowRules rules, int maxEvents)
    {
        _saved = await _head.ReadAsync();
        if (!_head.Exists) return await MigrateLegacyAsync(rules, maxEvents);
        var counts = _saved.Counts();
        var records = counts.SelectMany(m => Enumerable.Range(0, m.Value).Select(i => SegmentRecord(new SegmentKey(m.Key, i)))).ToArray();
        var segments = await Task.WhenAll(records.Select(r => r.ReadAsync()));
        // A listed segment without a record was never written: its save failed after the head's, so
        // nothing in it was acknowledged. It reads as empty.
        return new RevenueLedger(rules, maxEvents, _saved.VersionFloor, segments.Where((_, i) => records[i].Exists), counts);
    }

    /// <summary>
    /// Writes a checkpoint: the head when the months or their segment counts changed, then every
    /// changed segment in parallel, then deletes the records of dropped months (best effort: a month
    /// the head no longer lists is never read again). Throws if a write failed.
    /// </summary>
    public async Task SaveAsync(LedgerCheckpoint checkpoint)
    {
        var saved = _saved.Counts();
        var counts = checkpoint.SegmentCounts;
        if (counts.Count != saved.Count || counts.Any(m => saved.GetValueOrDefault(m.Key) != m.Value))
        {
            var head = new LedgerHead { Months = [.. counts.Keys.Order()], VersionFloor = checkpoint.Version, SegmentCounts = counts.ToDictionary() };
            await _head.WriteAsync(head);
            _saved = head;
        }
        await Task.WhenAll(checkpoint.Segments.Select(s => SegmentRecord(new SegmentKey(s.Month, s.Segment)).WriteAsync(s)));
        // A month dropped and then booked into again keeps its (rewritten) records.
        var gone = checkpoint.DroppedMonths.Where(m => !counts.ContainsKey(m)).ToHashSet();
        if (gone.Count == 0) return;
        try
        {
            foreach (var (key, record) in _segments.Where(s => gone.Contains(s.Key.Month)).ToArray())
            {
                await record.ClearAsync();
                _segments.Remove(key);
            }
        }
        catch (Exception)
        {
            // Orphans: the head no longer lists them.
        }
    }

    private StoredRecord<LedgerMonth> SegmentRecord(SegmentKey segment)
    {
        if (!_segments.TryGetValue(segment, out var record))
            _segments[segment] = record = new StoredRecord<LedgerMonth>(storage, grainId, RecordName(segment));
        return record;
    }

    private async Task<RevenueLedger> MigrateLegacyAsync(RevenueWindowRules rules, int maxEvents)
    {
        var legacy = new StoredRecord<LedgerState>(storage, grainId, LegacyStateName);
        var old = await legacy.ReadAsync();
        if (!legacy.Exists) return new RevenueLedger(rules, maxEvents);
        var months = old.ToMonths().ToArray(); // one segment per month: a legacy ledger was one record, so each month fits one
        var head = new LedgerHead { Months = [.. months.Select(m => m.Month).Order()], VersionFloor = old.Version };
        await _head.WriteAsync(head);
        _saved = head;
        await Task.WhenAll(months.Select(m => SegmentRecord(new SegmentKey(m.Month, 0)).WriteAsync(m)));
        await legacy.ClearAsync();
        return new RevenueLedger(rules, maxEvents, old.Version, months);
    }
}
