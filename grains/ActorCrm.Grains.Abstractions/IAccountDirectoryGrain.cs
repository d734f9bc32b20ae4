using ActorCrm.Domain.Model;
using Orleans.Concurrency;

namespace ActorCrm.Grains;

/// <summary>
/// One partition of the account directory (key = partition number): the index behind
/// ListAccounts, which Orleans does not give. Accounts are spread over the partitions by a stable
/// hash of their id, so no single grain is hot; see <see cref="AccountDirectory"/>.
/// </summary>
[Alias("actorcrm.IAccountDirectoryGrain")]
public interface IAccountDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Records an account's listing fields; an older version than the one held is ignored.</summary>
    [Alias("Upsert")] Task UpsertAsync(AccountSummary summary);

    [Alias("Remove")] Task RemoveAsync(string accountId, long version);

    [ReadOnly, Alias("Query")] Task<IReadOnlyList<AccountSummary>> QueryAsync(DirectoryQuery query);

    /// <summary>Up to <see cref="DirectoryQuery.Limit"/> matching entries after <paramref name="after"/> in coverage order (then id).</summary>
    [ReadOnly, Alias("QueryByCoverage")] Task<IReadOnlyList<AccountSummary>> QueryByCoverageAsync(DirectoryQuery query, CoverageCursor? after, bool descending);

    /// <summary>The entries of these ids that this partition holds.</summary>
    [ReadOnly, Alias("GetMany")] Task<IReadOnlyList<AccountSummary>> GetManyAsync(IReadOnlyList<string> accountIds);

    /// <summary>Records an account's coverage (the Coverage* fields of <paramref name="report"/>); a report older than the one held is ignored.</summary>
    [Alias("SetCoverage")] Task SetCoverageAsync(string accountId, AccountSummary report);

    [ReadOnly, Alias("Count")] Task<int> CountAsync();

    /// <summary>Ids of this partition's accounts listed under <paramref name="parentAccountId"/>, in id order.</summary>
    [ReadOnly, Alias("ListChildren")] Task<IReadOnlyList<string>> ListChildrenAsync(string parentAccountId, int limit);

    /// <summary>Ids of this partition's accounts listed under any of the parents (a level of a subtree walk), in id order.</summary>
    [ReadOnly, Alias("ListChildrenOfAll")] Task<IReadOnlyList<string>> ListChildrenOfAllAsync(IReadOnlyList<string> parentAccountIds);
}

/// <summary>The listing fields of an account.</summary>
[GenerateSerializer, Immutable, Alias("actorcrm.AccountSummary")]
public sealed record AccountSummary(
    [property: Id(0)] string AccountId,
    [property: Id(1)] string DisplayName,
    [property: Id(2)] StrategicTier Tier,
    [property: Id(3)] string ParentAccountId,
    [property: Id(4)] string Owner,
    [property: Id(5)] long Version)
{
    /// <summary>insights.overall_coverage as the account last published it (see <see cref="CoverageVersion"/>).</summary>
    [Id(6)] public double Coverage { get; init; }

    /// <summary>The account's state sequence when it published <see cref="Coverage"/> (coverage moves with contacts and opportunities, not only with the profile).</summary>
    [Id(7)] public long CoverageVersion { get; init; }

    /// <summary>When the account evaluated <see cref="Coverage"/>: of two reports of one state, the later one has aged more.</summary>
    [Id(8)] public DateTimeOffset CoverageEvaluatedAt { get; init; }

    /// <summary>When <see cref="Coverage"/> drops through staleness alone (a section known today turns stale); null if never.</summary>
    [Id(9)] public DateTimeOffset? CoverageValidUntil { get; init; }

    /// <summary>organisation_profile.yearly_purchase_volume_minor (the ranking's reconciliation reports it with the hierarchy).</summary>
    [Id(10)] public long YearlyPurchaseVolumeMinor { get; init; }

    /// <summary>Whether the listed fields are the same (versions and evaluation times aside).</summary>
    public bool SameListing(AccountSummary other) =>
        this with
        {
            Version = other.Version, CoverageVersion = other.CoverageVersion,
            CoverageEvaluatedAt = other.CoverageEvaluatedAt, CoverageValidUntil = other.CoverageValidUntil,
        } == other;

    /// <summary>Whether this is a later listing than <paramref name="held"/>: a newer profile, or the same profile with a later coverage.</summary>
    public bool IsNewerThan(AccountSummary? held) =>
        held is null || Version > held.Version || (Version == held.Version && HasLaterCoverageThan(held));

    /// <summary>A coverage of a later state, or of the same state evaluated later.</summary>
    public bool HasLaterCoverageThan(AccountSummary held) =>
        CoverageVersion > held.CoverageVersion || (CoverageVersion == held.CoverageVersion && CoverageEvaluatedAt > held.CoverageEvaluatedAt);

    /// <summary>This listing with <paramref name="source"/>'s coverage fields.</summary>
    public AccountSummary WithCoverageOf(AccountSummary source) => this with
    {
        Coverage = source.Coverage, CoverageVersion = source.CoverageVersion,
        CoverageEvaluatedAt = source.CoverageEvaluatedAt, CoverageValidUntil = source.CoverageValidUntil,
    };

    public static AccountSummary Of(Account account, long version) =>
        new(account.AccountId, account.DisplayName, account.Tier, account.ParentAccountId, account.Owner, version)
        {
            YearlyPurchaseVolumeMinor = account.OrganisationProfile.YearlyPurchaseVolumeMinor,
        };
}

/// <summary>A position in coverage order: the last row of a page.</summary>
[GenerateSerializer, Immutable, Alias("actorcrm.CoverageCursor")]
public sealed record CoverageCursor([property: Id(0)] double Coverage, [property: Id(1)] string AccountId)
{
    /// <summary>Coverage order (ascending or descending), then account id ascending.</summary>
    public static int Compare(double aCoverage, string aId, double bCoverage, string bId, bool descending)
    {
        var byCoverage = descending ? bCoverage.CompareTo(aCoverage) : aCoverage.CompareTo(bCoverage);
        return byCoverage != 0 ? byCoverage : string.CompareOrdinal(aId, bId);
    }

    public static int Compare(AccountSummary a, AccountSummary b, bool descending) => Compare(a.Coverage, a.AccountId, b.Coverage, b.AccountId, descending);

    public bool IsBefore(AccountSummary s, bool descending) => Compare(Coverage, AccountId, s.Coverage, s.AccountId, descending) < 0;
}

/// <summary>A page request against the directory: ids after <see cref="AfterAccountId"/> that match every filter given.</summary>
[GenerateSerializer, Immutable, Alias("actorcrm.DirectoryQuery")]
public sealed record DirectoryQuery(
    [property: Id(0)] string AfterAccountId,
    [property: Id(1)] int Limit,
    [property: Id(2)] StrategicTier Tier,
    [property: Id(3)] string ParentAccountId,
    [property: Id(4)] string Owner,
    [property: Id(5)] string NamePrefix)
{
    /// <summary>Lowest coverage listed (0 = any).</summary>
    [Id(6)] public double MinCoverage { get; init; }

    /// <summary>Highest coverage listed (null = any).</summary>
    [Id(7)] public double? MaxCoverage { get; init; }

    public bool Matches(AccountSummary s) => string.CompareOrdinal(s.AccountId, AfterAccountId) > 0 && MatchesFilters(s);

    /// <summary>Every filter but the paging cursor.</summary>
    public bool MatchesFilters(AccountSummary s) =>
        s.Coverage >= MinCoverage && (MaxCoverage is not { } max || s.Coverage <= max)
        && (Tier == StrategicTier.Unspecified || s.Tier == Tier)
        && (ParentAccountId.Length == 0 || s.ParentAccountId == ParentAccountId)
        && (Owner.Length == 0 || s.Owner == Owner)
        && (NamePrefix.Length == 0 || s.DisplayName.StartsWith(NamePrefix, StringComparison.Ordinal));
}
