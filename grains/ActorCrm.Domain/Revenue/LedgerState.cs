namespace ActorCrm.Domain.Revenue;

/// <summary>
/// An account's revenue ledger as persisted: day buckets of the window and the event ids it must
/// remember. Mutable on purpose: a batch changes a few entries of a large ledger, and
/// <see cref="RevenueLedger"/> undoes them exactly if the write fails.
/// </summary>
[GenerateSerializer, Alias("actorcrm.state.RevenueLedger")]
public sealed class LedgerState
{
    /// <summary>Saved version: grows with every write; the ranking ignores reports not newer than what it holds.</summary>
    [Id(0)] public long Version { get; set; }

    /// <summary>
    /// Day → sum of that day's events. A day whose events net to zero keeps its bucket: the account
    /// still has revenue events in the window (it counts as non-positive, not as absent).
    /// </summary>
    [Id(1)] public Dictionary<DateOnly, long> Buckets { get; set; } = [];

    /// <summary>Event id → what it was, for exactly-once.</summary>
    [Id(2)] public Dictionary<string, RememberedEvent> Events { get; set; } = new(StringComparer.Ordinal);

    public IReadOnlyList<DayAmount> SortedBuckets() =>
        Buckets.OrderBy(b => b.Key).Select(b => new DayAmount(b.Key, b.Value)).ToArray();
}
