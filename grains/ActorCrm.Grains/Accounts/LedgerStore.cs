using ActorCrm.Domain.Revenue;
using ActorCrm.Grains.Infrastructure;
using Orleans.Storage;

namespace ActorCrm.Grains.Accounts;

/// <summary>
/// Saves one account's <see cref="RevenueLedger"/> as a small head record ("ledger-head": the months
/// held) and one record per month ("ledger-yyyyMM"). A batch rewrites only the months it added
/// events to; the head is written only when a month appears or is dropped. Loaded only when revenue
/// is first needed, so reading an account never loads its revenue history.
/// </summary>
/// <remarks>
/// Crash safety: the head is written before the months it lists (a listed month that was never
/// written reads as empty), and the ledger's version is the highest stamp of its head and months,
/// so it only grows. A batch is acknowledged once every write of it is confirmed.
/// </remarks>
public sealed class LedgerStore(IGrainStorage storage, GrainId grainId)
{
    /// <summary>The state name of the whole-ledger record kept before months (migrated on first load).</summary>
    private const string LegacyStateName = "ledger";

    private readonly StoredRecord<LedgerHead> _head = new(storage, grainId, "ledger-head");
    private readonly Dictionary<int, StoredRecord<LedgerMonth>> _months = [];
    private LedgerHead _saved = new();

    public async Task<RevenueLedger> LoadAsync(RevenueWindowRules rules, int maxEvents)
    {
        _saved = await _head.ReadAsync();
        if (!_head.Exists) return await MigrateLegacyAsync(rules, maxEvents);
        var records = _saved.Months.Select(MonthRecord).ToArray();
        var months = await Task.WhenAll(records.Select(r => r.ReadAsync()));
        // A listed month without a record was never written: its save failed after the head's, so
        // nothing in it was acknowledged. It reads as empty.
        return new RevenueLedger(rules, maxEvents, _saved.VersionFloor, months.Where((_, i) => records[i].Exists));
    }

    /// <summary>
    /// Saves the ledger's changes as <paramref name="version"/>: the head when the set of months
    /// changes (or <paramref name="forceHead"/>), then every touched month, in parallel. Throws if
    /// any write failed.
    /// </summary>
    public async Task SaveAsync(RevenueLedger ledger, IReadOnlyCollection<int> dropped, long version, bool forceHead = false)
    {
        var months = _saved.Months.Union(ledger.TouchedMonths).Except(dropped).Order().ToList();
        if (forceHead || !months.SequenceEqual(_saved.Months))
        {
            var head = new LedgerHead { Months = months, VersionFloor = version };
            await _head.WriteAsync(head);
            _saved = head;
        }
        await Task.WhenAll(ledger.TouchedMonths.Select(m => MonthRecord(m).WriteAsync(ledger.SnapshotOf(m, version))));
    }

    /// <summary>Deletes the records of months the head no longer lists (best effort: an orphan is never read again).</summary>
    public async Task DeleteMonthsAsync(IEnumerable<int> months)
    {
        foreach (var month in months)
        {
            await MonthRecord(month).ClearAsync();
            _months.Remove(month);
        }
    }

    private StoredRecord<LedgerMonth> MonthRecord(int month)
    {
        if (!_months.TryGetValue(month, out var record))
            _months[month] = record = new StoredRecord<LedgerMonth>(storage, grainId, $"ledger-{month}");
        return record;
    }

    private async Task<RevenueLedger> MigrateLegacyAsync(RevenueWindowRules rules, int maxEvents)
    {
        var legacy = new StoredRecord<LedgerState>(storage, grainId, LegacyStateName);
        var old = await legacy.ReadAsync();
        if (!legacy.Exists) return new RevenueLedger(rules, maxEvents);
        var months = old.ToMonths().ToArray();
        var head = new LedgerHead { Months = [.. months.Select(m => m.Month).Order()], VersionFloor = old.Version };
        await _head.WriteAsync(head);
        _saved = head;
        await Task.WhenAll(months.Select(m => MonthRecord(m.Month).WriteAsync(m)));
        await legacy.ClearAsync();
        return new RevenueLedger(rules, maxEvents, old.Version, months);
    }
}
