namespace ActorCrm.Domain.Revenue;

/// <summary>
/// One saved chunk of an account's ledger: up to a chunk's capacity of its events, in the order they
/// arrived. A checkpoint rewrites only the chunks that changed; ageing deletes whole chunks.
/// </summary>
[GenerateSerializer, Alias("actorcrm.state.LedgerChunk")]
public sealed class LedgerChunk
{
    [Id(0)] public int Chunk { get; set; }

    /// <summary>The ledger version this chunk was saved at.</summary>
    [Id(1)] public long Version { get; set; }

    /// <summary>Event id → what it was, for exactly-once; the day buckets are derived from these.</summary>
    [Id(2)] public Dictionary<string, RememberedEvent> Events { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>An account ledger's index: which chunks are saved, the next chunk number, and a version floor.</summary>
[GenerateSerializer, Alias("actorcrm.state.LedgerIndex")]
public sealed class LedgerIndex
{
    [Id(0)] public List<int> Chunks { get; set; } = [];

    [Id(1)] public int NextChunk { get; set; }

    [Id(2)] public long VersionFloor { get; set; }
}

/// <summary>
/// Read only to move a ledger saved by an earlier build into chunks. One segment of a month of an
/// account's ledger as saved: up to a segment's capacity of the events
/// dated in that month (a record saved before segments existed holds a whole month as segment 0). A
/// batch rewrites only the last segment of each month it adds events to; ageing deletes whole months.
/// </summary>
[GenerateSerializer, Alias("actorcrm.state.LedgerMonth")]
public sealed class LedgerMonth
{
    /// <summary>yyyyMM.</summary>
    [Id(0)] public int Month { get; set; }

    /// <summary>The ledger version this month was saved at; the ledger's version is the highest of its months' and its head's.</summary>
    [Id(1)] public long Version { get; set; }

    /// <summary>Event id → what it was, for exactly-once; the day buckets are derived from these.</summary>
    [Id(2)] public Dictionary<string, RememberedEvent> Events { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The segment's index within its month (0 for a record saved before segments existed).</summary>
    [Id(3)] public int Segment { get; set; }
}

/// <summary>Read only to move a ledger saved by an earlier build into chunks. An account ledger's head: which months are saved, and a version floor kept when months are dropped.</summary>
[GenerateSerializer, Alias("actorcrm.state.LedgerHead")]
public sealed class LedgerHead
{
    /// <summary>yyyyMM of every saved month, ascending.</summary>
    [Id(0)] public List<int> Months { get; set; } = [];

    /// <summary>The ledger's version when the head was last saved, so versions keep growing after months are dropped.</summary>
    [Id(1)] public long VersionFloor { get; set; }

    /// <summary>Segments per month (yyyyMM → count); a month missing here was saved before segments existed and has one.</summary>
    [Id(2)] public Dictionary<int, int> SegmentCounts { get; set; } = [];

    /// <summary>Segments per listed month.</summary>
    public IReadOnlyDictionary<int, int> Counts() => Months.ToDictionary(m => m, m => SegmentCounts.GetValueOrDefault(m, 1));
}

/// <summary>
/// An account's whole ledger as saved before it was split into months (one record rewritten on
/// every batch). Read only to move it into chunks.
/// </summary>
[GenerateSerializer, Alias("actorcrm.state.RevenueLedger")]
public sealed class LedgerState
{
    [Id(0)] public long Version { get; set; }

    [Id(1)] public Dictionary<DateOnly, long> Buckets { get; set; } = [];

    [Id(2)] public Dictionary<string, RememberedEvent> Events { get; set; } = new(StringComparer.Ordinal);
}
