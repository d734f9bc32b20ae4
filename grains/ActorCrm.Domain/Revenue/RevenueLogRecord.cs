namespace ActorCrm.Domain.Revenue;

/// <summary>
/// One append to a revenue partition's log: the events one batch had accepted (in order), or the
/// accounts whose ledgers were cleared. Replayed in sequence after a restart until a checkpoint
/// covers it.
/// </summary>
[GenerateSerializer, Alias("actorcrm.state.RevenueLogRecord")]
public sealed class RevenueLogRecord
{
    [Id(0)] public long Sequence { get; set; }

    [Id(1)] public List<LoggedRevenue> Events { get; set; } = [];

    /// <summary>Accounts deleted: their ledgers are emptied at this point of the log.</summary>
    [Id(2)] public List<string> ClearedAccounts { get; set; } = [];
}

/// <summary>An accepted event as the log keeps it.</summary>
[GenerateSerializer, Immutable, Alias("actorcrm.state.LoggedRevenue")]
public readonly record struct LoggedRevenue(
    [property: Id(0)] string AccountId,
    [property: Id(1)] string EventId,
    [property: Id(2)] long AmountMinor,
    [property: Id(3)] long OccurredAtUtcTicks)
{
    public RevenueEntry ToEntry() => new(EventId, AmountMinor, new DateTimeOffset(OccurredAtUtcTicks, TimeSpan.Zero));
}

/// <summary>A revenue partition's log head: where replay starts, and the activation epoch that keeps ledger versions growing.</summary>
[GenerateSerializer, Alias("actorcrm.state.RevenueLogHead")]
public sealed class RevenueLogHead
{
    /// <summary>Bumped by every activation; a ledger version is (epoch, counter), so versions grow across restarts without being stored.</summary>
    [Id(0)] public long Epoch { get; set; }

    /// <summary>The first record not covered by a checkpoint: replay starts here.</summary>
    [Id(1)] public long FirstSequence { get; set; }

    /// <summary>
    /// No account of the partition has a stored ledger: set when the head is created over a store
    /// where no earlier build stored ledgers, false from the first appended record on. While set, a
    /// ledger is known to be empty without reading it (a bulk load of accounts reads no ledgers).
    /// </summary>
    [Id(2)] public bool NoLedgersYet { get; set; }

    /// <summary>
    /// Set for partitions created since ledgers are kept on pages (LedgerPages): a ledger its page does
    /// not list has no records of its own. A partition created earlier looks for them.
    /// </summary>
    [Id(3)] public bool LedgersOnPages { get; set; }
}
