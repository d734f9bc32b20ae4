namespace ActorCrm.Domain.Revenue;

/// <summary>
/// The rules of one account's ledger: classify each event of a batch (accepted, duplicate, expired,
/// rejected), apply the accepted ones to the state, and undo them if the state could not be saved.
/// Bound: at most <c>maxEvents</c> remembered ids (≈ 100 bytes each with a 20-character id), so
/// 100,000 events per account per window cost about 10 MB of ledger state.
/// </summary>
public sealed class RevenueLedger(LedgerState state, RevenueWindowRules rules, int maxEvents)
{
    private readonly List<(string EventId, DateOnly Day, long Amount, bool NewDay)> _applied = [];

    /// <summary>Forgets buckets and ids that can never count again. Returns true if anything was dropped.</summary>
    public bool Prune(DateOnly today)
    {
        var staleDays = state.Buckets.Keys.Where(d => rules.IsExpired(d, today)).ToList();
        foreach (var day in staleDays) state.Buckets.Remove(day);
        var forgotten = state.Events.Where(e => rules.IsForgotten(e.Value.Day, today)).Select(e => e.Key).ToList();
        foreach (var id in forgotten) state.Events.Remove(id);
        return staleDays.Count > 0 || forgotten.Count > 0;
    }

    /// <summary>Classifies and applies a batch in order (a repeated id within the batch is a duplicate or a conflict).</summary>
    public IReadOnlyList<RevenueOutcome> Apply(IReadOnlyList<RevenueEntry> entries, DateOnly today)
    {
        var outcomes = new RevenueOutcome[entries.Count];
        for (var i = 0; i < entries.Count; i++) outcomes[i] = ApplyOne(entries[i], today);
        return outcomes;
    }

    public bool HasChanges => _applied.Count > 0;

    /// <summary>Reverts everything <see cref="Apply"/> did (after a failed write).</summary>
    public void Undo()
    {
        for (var i = _applied.Count - 1; i >= 0; i--)
        {
            var (eventId, day, amount, newDay) = _applied[i];
            state.Events.Remove(eventId);
            if (newDay) state.Buckets.Remove(day);
            else state.Buckets[day] -= amount;
        }
        _applied.Clear();
    }

    private RevenueOutcome ApplyOne(RevenueEntry entry, DateOnly today)
    {
        var day = rules.LocalDay(entry.OccurredAt);
        var remembered = new RememberedEvent(day, entry.AmountMinor, entry.OccurredAt.UtcTicks);
        if (state.Events.TryGetValue(entry.EventId, out var earlier))
            return earlier == remembered
                ? RevenueOutcome.Duplicate
                : RevenueOutcome.Rejected(RevenueReasons.EventIdConflict,
                    $"event '{entry.EventId}' was already recorded with a different amount or time");
        if (rules.IsExpired(day, today)) return RevenueOutcome.Expired;
        if (rules.IsTooFarAhead(day, today))
            return RevenueOutcome.Rejected(RevenueReasons.TooFarInFuture, $"dated {day:yyyy-MM-dd}; events may be dated at most one day ahead of {today:yyyy-MM-dd}");
        if (state.Events.Count >= maxEvents)
            return RevenueOutcome.Rejected(RevenueReasons.LedgerFull, $"the account already holds {maxEvents} events in its window");
        if (!FitsTotals(day, entry.AmountMinor))
            return RevenueOutcome.Rejected(RevenueReasons.TotalOutOfRange, "the account's window total would leave the range of a 64-bit amount");

        var newDay = !state.Buckets.TryGetValue(day, out var sum);
        state.Events[entry.EventId] = remembered;
        state.Buckets[day] = sum + entry.AmountMinor;
        _applied.Add((entry.EventId, day, entry.AmountMinor, newDay));
        return RevenueOutcome.Accepted;
    }

    /// <summary>
    /// Every window total the bucket can take part in must stay a 64-bit amount; bounding the sum of
    /// absolute bucket values keeps any subset sum in range.
    /// </summary>
    private bool FitsTotals(DateOnly day, long amount)
    {
        Int128 absolute = 0;
        foreach (var (d, value) in state.Buckets)
            absolute += d == day ? Int128.Abs((Int128)value + amount) : Int128.Abs(value);
        if (!state.Buckets.ContainsKey(day)) absolute += Int128.Abs(amount);
        return absolute <= long.MaxValue;
    }
}
