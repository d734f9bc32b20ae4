namespace ActorCrm.Domain.Errors;

/// <summary>What went wrong, in the terms the API reports (each maps to one gRPC status code).</summary>
public enum ErrorKind
{
    InvalidArgument = 0,
    NotFound = 1,
    AlreadyExists = 2,
    FailedPrecondition = 3,
    /// <summary>Optimistic concurrency: the caller's etag is stale.</summary>
    Aborted = 4,
    /// <summary>Storage or cluster trouble; nothing was changed, the caller may retry.</summary>
    Unavailable = 5,
}

/// <summary>One bad field of a request, named by its API path (e.g. "account.display_name").</summary>
[GenerateSerializer, Immutable, Alias("actorcrm.FieldViolation")]
public sealed record FieldViolation([property: Id(0)] string Field, [property: Id(1)] string Description);

/// <summary>
/// A refused command. Grains throw it; it crosses grain calls (it is serializable) and the gRPC
/// layer turns it into a status with details. A refused command has changed nothing.
/// </summary>
[GenerateSerializer, Alias("actorcrm.CrmException")]
public sealed class CrmException : Exception
{
    public CrmException(ErrorKind kind, string message, IReadOnlyList<FieldViolation>? violations = null)
        : base(message)
    {
        Kind = kind;
        Violations = violations ?? [];
    }

    [Id(0)] public ErrorKind Kind { get; private set; }

    [Id(1)] public IReadOnlyList<FieldViolation> Violations { get; private set; }

    public static CrmException Invalid(IReadOnlyList<FieldViolation> violations) =>
        new(ErrorKind.InvalidArgument,
            violations.Count == 1
                ? $"{violations[0].Field}: {violations[0].Description}"
                : $"{violations.Count} invalid fields, first {violations[0].Field}: {violations[0].Description}",
            violations);

    public static CrmException Invalid(string field, string description) => Invalid([new FieldViolation(field, description)]);

    public static CrmException NotFound(string message) => new(ErrorKind.NotFound, message);

    public static CrmException AlreadyExists(string message) => new(ErrorKind.AlreadyExists, message);

    public static CrmException Precondition(string message) => new(ErrorKind.FailedPrecondition, message);

    public static CrmException StaleEtag(string what, string given, string current) =>
        new(ErrorKind.Aborted, $"{what} was changed by someone else: etag {given} is not the current {current}; re-read and retry");

    public static CrmException Unavailable(string message) => new(ErrorKind.Unavailable, message);
}
