using Orleans.Concurrency;

namespace ActorCrm.Grains;

/// <summary>
/// One partition of the audit trail (key = partition number): an append-only log of who read or
/// wrote personal data, who was denied, and who changed business-critical fields. Entries are
/// spread over <see cref="AuditTrail.Partitions"/> by their subject, so no grain is hot; an append
/// is acknowledged only once stored. Entries never hold personal values, only names of fields.
/// </summary>
[Alias("actorcrm.IAuditLogGrain")]
public interface IAuditLogGrain : IGrainWithIntegerKey
{
    /// <summary>Stores the entries (stamped with this partition's time and ids) and returns once they are durable.</summary>
    [Alias("Append")] Task AppendAsync(IReadOnlyList<AuditEntry> entries);

    /// <summary>Up to <see cref="AuditQuery.Limit"/> matching entries strictly before the query's cursor, newest first.</summary>
    [ReadOnly, Alias("Query")] Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query);
}

public enum AuditAction
{
    Unspecified = 0,
    PersonalDataRead = 1,
    PersonalDataWritten = 2,
    PersonalDataErased = 3,
    PermissionDenied = 4,
    CriticalFieldsChanged = 5,
}

/// <summary>One audited event: who (actor and role), what (action, subject, field names), through which method, when.</summary>
[GenerateSerializer, Immutable, Alias("actorcrm.AuditEntry")]
public sealed record AuditEntry(
    [property: Id(0)] string Actor,
    [property: Id(1)] string ActorRole,
    [property: Id(2)] AuditAction Action,
    [property: Id(3)] string Subject,
    [property: Id(4)] IReadOnlyList<string> Fields,
    [property: Id(5)] string Method,
    [property: Id(6)] string Detail)
{
    /// <summary>Set by the partition when stored: its time (never earlier than the entry before it) and "partition-sequence".</summary>
    [Id(7)] public DateTimeOffset Time { get; init; }

    [Id(8)] public string EventId { get; init; } = "";

    /// <summary>Position in a partition's log (the order of its entries: time, then sequence).</summary>
    [Id(9)] public long Sequence { get; init; }

    [Id(10)] public int Partition { get; init; }
}

/// <summary>
/// A page request: entries matching every filter given, strictly older than the cursor
/// (<see cref="BeforeTime"/>, then partition and sequence), newest first.
/// </summary>
[GenerateSerializer, Immutable, Alias("actorcrm.AuditQuery")]
public sealed record AuditQuery(
    [property: Id(0)] string Subject,
    [property: Id(1)] string Actor,
    [property: Id(2)] DateTimeOffset? From,
    [property: Id(3)] DateTimeOffset? To,
    [property: Id(4)] AuditCursor? Before,
    [property: Id(5)] int Limit)
{
    public bool Matches(AuditEntry entry) =>
        (Subject.Length == 0 || entry.Subject == Subject)
        && (Actor.Length == 0 || entry.Actor == Actor)
        && (From is null || entry.Time >= From)
        && (To is null || entry.Time < To)
        && (Before is null || Before.IsAfter(entry));
}

/// <summary>The last entry of a page; the next page starts strictly after it in newest-first order.</summary>
[GenerateSerializer, Immutable, Alias("actorcrm.AuditCursor")]
public sealed record AuditCursor([property: Id(0)] DateTimeOffset Time, [property: Id(1)] int Partition, [property: Id(2)] long Sequence)
{
    /// <summary>Whether <paramref name="entry"/> comes after this cursor in newest-first order (time desc, partition asc, sequence desc).</summary>
    public bool IsAfter(AuditEntry entry) => Compare(entry, this) > 0;

    /// <summary>Newest-first order of entries and cursors.</summary>
    public static int Compare(AuditEntry a, AuditCursor b)
    {
        var byTime = b.Time.UtcTicks.CompareTo(a.Time.UtcTicks);
        if (byTime != 0) return byTime;
        var byPartition = a.Partition.CompareTo(b.Partition);
        return byPartition != 0 ? byPartition : b.Sequence.CompareTo(a.Sequence);
    }

    public static AuditCursor Of(AuditEntry entry) => new(entry.Time, entry.Partition, entry.Sequence);

    public string ToToken() => $"{Time.UtcTicks}.{Partition}.{Sequence}";

    public static AuditCursor? TryParse(string token)
    {
        var parts = token.Split('.');
        return parts.Length == 3 && long.TryParse(parts[0], out var ticks) && ticks >= 0 && ticks <= DateTimeOffset.MaxValue.UtcTicks
               && int.TryParse(parts[1], out var partition) && long.TryParse(parts[2], out var sequence)
            ? new AuditCursor(new DateTimeOffset(ticks, TimeSpan.Zero), partition, sequence)
            : null;
    }
}

/// <summary>The audit trail as a whole: appends go to the partition of their subject, a page is merged from all.</summary>
public static class AuditTrail
{
    /// <summary>Fixed for a deployment: listing reads every partition.</summary>
    public const int Partitions = 16;

    public static int PartitionOf(string subject) => (int)(Domain.StableHash.Fnv1a32(subject) % Partitions);

    /// <summary>Stores the entries, one call per partition they fall in, and returns once all are durable.</summary>
    public static Task RecordAsync(IGrainFactory grains, IReadOnlyList<AuditEntry> entries) => entries.Count switch
    {
        0 => Task.CompletedTask,
        1 => grains.GetGrain<IAuditLogGrain>(PartitionOf(entries[0].Subject)).AppendAsync(entries),
        _ => Task.WhenAll(entries.GroupBy(e => PartitionOf(e.Subject))
            .Select(group => grains.GetGrain<IAuditLogGrain>(group.Key).AppendAsync(group.ToList()))),
    };

    public static async Task<IReadOnlyList<AuditEntry>> QueryAsync(IGrainFactory grains, AuditQuery query)
    {
        var pages = await Task.WhenAll(Enumerable.Range(0, Partitions).Select(p => grains.GetGrain<IAuditLogGrain>(p).QueryAsync(query)));
        return pages.SelectMany(page => page)
            .Order(Comparer<AuditEntry>.Create((a, b) => AuditCursor.Compare(a, AuditCursor.Of(b))))
            .Take(query.Limit)
            .ToList();
    }
}
