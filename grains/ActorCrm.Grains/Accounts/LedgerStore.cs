using ActorCrm.Domain.Revenue;
using ActorCrm.Grains.Infrastructure;
using Orleans.Storage;

namespace ActorCrm.Grains.Accounts;

/// <summary>
/// Saves one account's <see cref="RevenueLedger"/> as a small head record ("ledger-head": the months
/// held and each month's segment count) and one record per segment ("ledger-yyyyMM" for a month's
/// first segment, "ledger-yyyyMM-k" for the others). A batch rewrites only the segments it added
/// events to (each at most a segment's capacity, so a busy account's save costs what a quiet one's
/// does); the head is written only when a month or a segment appears or a month is dropped. Loaded
/// only when revenue is first needed, so reading an account never loads its revenue history.
/// </summary>
/// <remarks>
/// Crash safety: the head is written before the segments it lists (a listed segment that was never
/// written reads as empty), and the ledger's version is the highest stamp of its head and segments,
/// so it only grows. A batch is acknowledged once every write of it is confirmed.
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
    /// Saves the ledger's changes as <paramref name="version"/>: the head when its months or segment
    /// counts change (or <paramref name="forceHead"/>), then every touched segment, in parallel.
    /// Throws if any write failed.
    /// </summary>
    public async Task SaveAsync(RevenueLedger ledger, IReadOnlyCollection<int> dropped, long version, bool forceHead = false)
    {
        if (forceHead || dropped.Count > 0 || ledger.OpenedSegments)
        {
            var counts = ledger.SegmentCounts.Where(m => !dropped.Contains(m.Key)).ToDictionary();
            var saved = _saved.Counts();
            if (forceHead || counts.Count != saved.Count || counts.Any(m => saved.GetValueOrDefault(m.Key) != m.Value))
            {
                var head = new LedgerHead { Months = [.. counts.Keys.Order()], VersionFloor = version, SegmentCounts = counts };
                await _head.WriteAsync(head);
                _saved = head;
            }
        }
        await Task.WhenAll(ledger.TouchedSegments
            .Where(s => !dropped.Contains(s.Month))
            .Select(s => SegmentRecord(s).WriteAsync(ledger.SnapshotOf(s, version))));
    }

    /// <summary>Deletes the segments of months the head no longer lists (best effort: an orphan is never read again).</summary>
    public async Task DeleteMonthsAsync(IEnumerable<int> months)
    {
        var gone = months.ToHashSet();
        foreach (var (key, record) in _segments.Where(s => gone.Contains(s.Key.Month)).ToArray())
        {
            await record.ClearAsync();
            _segments.Remove(key);
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
