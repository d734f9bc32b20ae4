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

    [ReadOnly, Alias("Count")] Task<int> CountAsync();

    /// <summary>Ids of this partition's accounts listed under <paramref name="parentAccountId"/>, in id order.</summary>
    [ReadOnly, Alias("ListChildren")] Task<IReadOnlyList<string>> ListChildrenAsync(string parentAccountId, int limit);
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
    /// <summary>Whether the listed fields are the same (the version aside).</summary>
    public bool SameListing(AccountSummary other) => this with { Version = other.Version } == other;

    public static AccountSummary Of(Account account, long version) =>
        new(account.AccountId, account.DisplayName, account.Tier, account.ParentAccountId, account.Owner, version);
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
    public bool Matches(AccountSummary s) =>
        string.CompareOrdinal(s.AccountId, AfterAccountId) > 0
        && (Tier == StrategicTier.Unspecified || s.Tier == Tier)
        && (ParentAccountId.Length == 0 || s.ParentAccountId == ParentAccountId)
        && (Owner.Length == 0 || s.Owner == Owner)
        && (NamePrefix.Length == 0 || s.DisplayName.StartsWith(NamePrefix, StringComparison.Ordinal));
}
