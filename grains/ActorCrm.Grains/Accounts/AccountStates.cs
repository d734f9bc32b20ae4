using ActorCrm.Domain.Insights;
using ActorCrm.Domain.Model;

namespace ActorCrm.Grains.Accounts;

// An account's persisted states. They are separate records because they change at different
// rates: an opportunity edit, a new contact or an activity must not change the account's etag.

/// <summary>The account's own fields. Account = null means never created or deleted (a tombstone that keeps the version).</summary>
[GenerateSerializer, Alias("actorcrm.state.AccountProfile")]
public sealed record AccountProfileState
{
    [Id(0)] public Account? Account { get; init; }
    [Id(1)] public long Version { get; init; }
    [Id(2)] public DateTimeOffset CreatedAt { get; init; }
    [Id(3)] public DateTimeOffset UpdatedAt { get; init; }
    /// <summary>When a person last edited or confirmed each of the account's own intel sections.</summary>
    [Id(4)] public AccountIntelVerification Verified { get; init; } = new();
}

/// <summary>The account's opportunities, sorted by id; each carries its own version (etag).</summary>
[GenerateSerializer, Alias("actorcrm.state.AccountOpportunities")]
public sealed record OpportunitiesState
{
    [Id(0)] public IReadOnlyList<OpportunityView> Items { get; init; } = [];
    /// <summary>Highest version handed out; versions are never reused, even after a delete.</summary>
    [Id(1)] public long LastVersion { get; init; }
}

/// <summary>Ids of the account's contacts (sorted). Sub-accounts are listed from the directory.</summary>
[GenerateSerializer, Alias("actorcrm.state.AccountMembers")]
public sealed record MembersState
{
    [Id(0)] public IReadOnlyList<string> ContactIds { get; init; } = [];
    // Id 1 held the ids of the direct sub-accounts; it is not reused.
    /// <summary>Counts the roster's writes, including a contact's own changes (see AccountGrain.Sequence).</summary>
    [Id(2)] public long Version { get; init; }
    /// <summary>What each contact last reported of itself for intel coverage (level, org chart, known profile items; no values).</summary>
    [Id(3)] public IReadOnlyDictionary<string, ContactIntel> Intel { get; init; } = new Dictionary<string, ContactIntel>(StringComparer.Ordinal);
}

/// <summary>Where the account's activities are: the months that hold some, and a hash of every id (for duplicate detection).</summary>
[GenerateSerializer, Alias("actorcrm.state.AccountActivityIndex")]
public sealed record ActivityIndexState
{
    /// <summary>yyyyMM of every month holding activities, ascending.</summary>
    [Id(0)] public IReadOnlyList<int> Months { get; init; } = [];
    [Id(1)] public IReadOnlyList<ulong> IdHashes { get; init; } = [];
    /// <summary>Counts the index's writes (see AccountGrain.Sequence).</summary>
    [Id(2)] public long Version { get; init; }
    /// <summary>When each opportunity last saw a sales activity (for the NO_RECENT_ACTIVITY red flag).</summary>
    [Id(3)] public IReadOnlyDictionary<string, DateTimeOffset> LastActivityByOpportunity { get; init; } = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
}
