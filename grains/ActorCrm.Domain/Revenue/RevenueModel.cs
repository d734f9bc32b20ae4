namespace ActorCrm.Domain.Revenue;

/// <summary>A revenue event as an account's ledger receives it (already shape-checked by the API).</summary>
[GenerateSerializer, Immutable, Alias("actorcrm.RevenueEntry")]
public sealed record RevenueEntry(
    [property: Id(0)] string EventId,
    [property: Id(1)] long AmountMinor,
    [property: Id(2)] DateTimeOffset OccurredAt);

public enum RevenueStatus { Accepted = 1, Duplicate = 2, Expired = 3, Rejected = 4 }

/// <summary>What happened to one event; <see cref="ReasonCode"/> is set for <see cref="RevenueStatus.Rejected"/>.</summary>
[GenerateSerializer, Immutable, Alias("actorcrm.RevenueOutcome")]
public sealed record RevenueOutcome(
    [property: Id(0)] RevenueStatus Status,
    [property: Id(1)] string ReasonCode = "",
    [property: Id(2)] string Message = "")
{
    public static readonly RevenueOutcome Accepted = new(RevenueStatus.Accepted);
    public static readonly RevenueOutcome Duplicate = new(RevenueStatus.Duplicate);
    public static readonly RevenueOutcome Expired = new(RevenueStatus.Expired);

    public static RevenueOutcome Rejected(string reasonCode, string message) => new(RevenueStatus.Rejected, reasonCode, message);
}

/// <summary>Reason codes of rejected events (the API's contract).</summary>
public static class RevenueReasons
{
    public const string InvalidEvent = "INVALID_EVENT";
    public const string UnknownAccount = "UNKNOWN_ACCOUNT";
    public const string CurrencyNotAccepted = "CURRENCY_NOT_ACCEPTED";
    public const string TooFarInFuture = "TOO_FAR_IN_FUTURE";
    public const string EventIdConflict = "EVENT_ID_CONFLICT";
    public const string LedgerFull = "LEDGER_FULL";
    public const string TotalOutOfRange = "TOTAL_OUT_OF_RANGE";
    public const string Unavailable = "UNAVAILABLE";
    public const string PermissionDenied = "PERMISSION_DENIED";
}

/// <summary>Revenue booked on one local day.</summary>
[GenerateSerializer, Immutable, Alias("actorcrm.DayAmount")]
public readonly record struct DayAmount([property: Id(0)] DateOnly Day, [property: Id(1)] long AmountMinor);

/// <summary>An event id the ledger remembers, with what is needed to tell a duplicate from a conflict.</summary>
[GenerateSerializer, Immutable, Alias("actorcrm.RememberedEvent")]
public readonly record struct RememberedEvent(
    [property: Id(0)] DateOnly Day,
    [property: Id(1)] long AmountMinor,
    [property: Id(2)] long OccurredAtUtcTicks);

/// <summary>
/// The window arithmetic shared by ledgers and the ranking: with W window days, revenue dated on
/// local day d counts on day t iff t − W &lt; d ≤ t.
/// </summary>
public sealed record RevenueWindowRules(int WindowDays, TimeZoneInfo TimeZone)
{
    public DateOnly LocalDay(DateTimeOffset instant) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, TimeZone).DateTime);

    public bool Counts(DateOnly day, DateOnly today) => day <= today && day.DayNumber > today.DayNumber - WindowDays;

    /// <summary>Dated before the window of <paramref name="today"/>: never counts again.</summary>
    public bool IsExpired(DateOnly day, DateOnly today) => day.DayNumber <= today.DayNumber - WindowDays;

    /// <summary>Ids stay remembered one day longer than their event counts.</summary>
    public bool IsForgotten(DateOnly day, DateOnly today) => day.DayNumber <= today.DayNumber - WindowDays - 1;

    /// <summary>Events may be dated at most one day ahead.</summary>
    public bool IsTooFarAhead(DateOnly day, DateOnly today) => day.DayNumber > today.DayNumber + 1;

    /// <summary>Σ of the buckets counting on <paramref name="today"/>, and whether any does.</summary>
    public (long Total, bool InWindow) TotalAt(IEnumerable<DayAmount> buckets, DateOnly today)
    {
        long total = 0;
        var inWindow = false;
        foreach (var bucket in buckets)
        {
            if (!Counts(bucket.Day, today)) continue;
            total = checked(total + bucket.AmountMinor);
            inWindow = true;
        }
        return (total, inWindow);
    }

    /// <summary>The total, whether any bucket counts, and the next change day, in one pass (the next day on which a bucket starts or stops counting).</summary>
    public WindowPosition PositionAt(IEnumerable<DayAmount> buckets, DateOnly today)
    {
        long total = 0;
        var inWindow = false;
        DateOnly? next = null;
        foreach (var bucket in buckets)
        {
            if (Counts(bucket.Day, today))
            {
                total = checked(total + bucket.AmountMinor);
                inWindow = true;
            }
            var candidate = bucket.Day > today ? bucket.Day : bucket.Day.AddDays(WindowDays);
            if (candidate > today && (next is null || candidate < next)) next = candidate;
        }
        return new WindowPosition(today, total, inWindow, next);
    }
}

/// <summary>An account's window total as of <see cref="Day"/>: computed once where the ledger is, so the rankings need not recompute it.</summary>
[GenerateSerializer, Immutable, Alias("actorcrm.WindowPosition")]
public sealed record WindowPosition(
    [property: Id(0)] DateOnly Day,
    [property: Id(1)] long Total,
    [property: Id(2)] bool InWindow,
    [property: Id(3)] DateOnly? NextChange);
