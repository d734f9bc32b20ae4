using ActorCrm.Domain.Revenue;
using ActorCrm.Grains.Infrastructure;
using Orleans.Storage;

namespace ActorCrm.Grains.Revenue;

/// <summary>
/// A revenue partition's write-ahead log: one record per append ("revenue-log-{sequence}") and a head
/// ("revenue-head": where replay starts, and the activation epoch). Appends are sequential; the
/// records a checkpoint covers are dropped by moving the head past them, then deleted.
/// </summary>
/// <remarks>
/// Replay reads from the head's first sequence up to the first record that does not exist. An
/// activation whose append failed stops appending (its partition deactivates), so no record is ever
/// written past a missing one.
/// </remarks>
public sealed class RevenueLog(IGrainStorage storage, GrainId grainId)
{
    private const int ReadAhead = 16;

    private readonly StoredRecord<RevenueLogHead> _head = new(storage, grainId, "revenue-head");

    /// <summary>Records written or replayed and not yet truncated, by sequence.</summary>
    private readonly SortedDictionary<long, StoredRecord<RevenueLogRecord>> _records = [];

    public static string RecordName(long sequence) => $"revenue-log-{sequence}";

    /// <summary>This activation's epoch (one more than the last activation's).</summary>
    public long Epoch { get; private set; }

    /// <summary>The sequence the next append gets.</summary>
    public long NextSequence { get; private set; }

    /// <summary>Whether records wait to be truncated.</summary>
    public bool HasRecords => _records.Count > 0;

    /// <summary>Whether no account of the partition can have a stored ledger yet (see <see cref="RevenueLogHead.NoLedgersYet"/>).</summary>
    public bool NoLedgersYet { get; private set; }

    /// <summary>Whether every ledger of the partition is listed on its page (see <see cref="RevenueLogHead.LedgersOnPages"/>).</summary>
    public bool LedgersOnPages { get; private set; }

    /// <summary>
    /// Opens the log for a new activation: bumps the epoch (one write), then reads the records no
    /// checkpoint covers, in order. On the partition's first activation ever,
    /// <paramref name="earlierLedgersPossible"/> says whether an earlier build may have stored ledgers.
    /// </summary>
    public async Task<IReadOnlyList<RevenueLogRecord>> OpenAsync(Func<Task<bool>> earlierLedgersPossible)
    {
        var head = await _head.ReadAsync();
        var noLedgers = _head.Exists ? head.NoLedgersYet : !await earlierLedgersPossible();
        // A new partition over a store where no earlier build kept ledgers with the accounts keeps them all on pages.
        var onPages = _head.Exists ? head.LedgersOnPages : noLedgers;
        var next = new RevenueLogHead { Epoch = head.Epoch + 1, FirstSequence = head.FirstSequence, NoLedgersYet = noLedgers, LedgersOnPages = onPages };
        await _head.WriteAsync(next);
        LedgersOnPages = onPages;
        Epoch = next.Epoch;

        var replay = new List<RevenueLogRecord>();
        var sequence = head.FirstSequence;
        while (true)
        {
            var window = Enumerable.Range(0, ReadAhead).Select(i => Record(sequence + i)).ToArray();
            var values = await Task.WhenAll(window.Select(r => r.ReadAsync()));
            var found = window.TakeWhile(r => r.Exists).Count();
            for (var i = 0; i < found; i++)
            {
                replay.Add(values[i]);
                _records[sequence + i] = window[i];
            }
            sequence += found;
            if (found < ReadAhead) break;
        }
        NextSequence = sequence;
        NoLedgersYet = noLedgers && sequence == 0; // a record ever appended (replayed or truncated) may have a ledger by now
        return replay;
    }

    /// <summary>Writes <paramref name="record"/> as the next sequence. Throws if storage did not confirm it.</summary>
    public async Task AppendAsync(RevenueLogRecord record)
    {
        record.Sequence = NextSequence;
        var stored = Record(NextSequence);
        NoLedgersYet = false; // before the write: if it lands, checkpoints may store ledgers
        await stored.WriteAsync(record);
        _records[NextSequence] = stored;
        NextSequence++;
    }

    /// <summary>
    /// Moves replay's start to <paramref name="upTo"/> (the ledgers' checkpoint covers every record
    /// before it), then deletes those records (best effort: a record before the start is never read).
    /// </summary>
    public async Task TruncateAsync(long upTo)
    {
        await _head.WriteAsync(new RevenueLogHead { Epoch = Epoch, FirstSequence = upTo, NoLedgersYet = NoLedgersYet, LedgersOnPages = LedgersOnPages });
        var covered = _records.Where(r => r.Key < upTo).ToArray();
        foreach (var (sequence, _) in covered) _records.Remove(sequence);
        try
        {
            await Task.WhenAll(covered.Select(r => r.Value.ClearAsync()));
        }
        catch (Exception)
        {
            // Orphans before the start: never replayed.
        }
    }

    private StoredRecord<RevenueLogRecord> Record(long sequence) => new(storage, grainId, RecordName(sequence));
}
