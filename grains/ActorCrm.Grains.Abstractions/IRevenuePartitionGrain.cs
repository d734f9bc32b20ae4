using ActorCrm.Domain.Revenue;
using ActorCrm.Grains.Ranking;
using Orleans.Concurrency;

namespace ActorCrm.Grains;

/// <summary>
/// Owns the revenue ledgers of the accounts that hash to it (key 0 … <see cref="RevenuePartitions.Count"/>−1).
/// A batch's events for its accounts arrive in one call and become durable with one append to the
/// partition's log; the ledgers are checkpointed later and the log replayed after a restart. Exactly
/// once per (account_id, event_id) within the window, as each ledger decides.
/// </summary>
[Alias("actorcrm.IRevenuePartitionGrain")]
public interface IRevenuePartitionGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Classifies and applies the events (in order, one outcome each). ACCEPTED outcomes are durable
    /// when this returns; events of an account that does not exist are REJECTED (UNKNOWN_ACCOUNT).
    /// </summary>
    /// <remarks>Immutable: the caller never changes the array, so a call on the same silo passes it without a copy.</remarks>
    [Alias("Record")] Task<RevenueOutcome[]> RecordAsync(Immutable<AccountRevenueEntry[]> entries);

    /// <summary>The account's remembered events dated inside the window, after an id, in ordinal order. NOT_FOUND for an unknown account.</summary>
    [Alias("ListEvents")] Task<IReadOnlyList<RevenueEntry>> ListEventsAsync(string accountId, string afterEventId, int limit);

    /// <summary>The current ranking reports of these accounts (those that ever had a ledger), for reconciliation.</summary>
    [Alias("GetReports")] Task<IReadOnlyList<RevenueReport>> GetReportsAsync(IReadOnlyList<string> accountIds);

    /// <summary>Empties a deleted account's ledger (durably) and stops accepting its events.</summary>
    [Alias("ClearAccount")] Task ClearAccountAsync(string accountId);

    /// <summary>The account's grain is watched: push it its report after every change (<see cref="IAccountGrain.OnRevenueChangedAsync"/>). Returns the current one.</summary>
    [Alias("WatchAccount")] Task<RevenueReport> WatchAccountAsync(string accountId);

    [OneWay, Alias("UnwatchAccount")] Task UnwatchAccountAsync(string accountId);

    /// <summary>Gives the account's ledger a new version (the window moved for a watched account) and pushes it; returns the report.</summary>
    [Alias("RefreshAccount")] Task<RevenueReport> RefreshAccountAsync(string accountId);
}

/// <summary>A revenue event with the account it is for.</summary>
[GenerateSerializer, Immutable, Alias("actorcrm.AccountRevenueEntry")]
public sealed record AccountRevenueEntry([property: Id(0)] string AccountId, [property: Id(1)] RevenueEntry Entry);

/// <summary>The revenue partitions as a whole: which one owns an account.</summary>
public static class RevenuePartitions
{
    /// <summary>
    /// Fixed for a deployment: changing it would strand ledgers and logs in the old partitions. The
    /// split is the directory's (and so the profile partitions'): revenue partition n asks profile
    /// partition n whether an earlier build stored ledgers with its accounts.
    /// </summary>
    public const int Count = AccountDirectory.Partitions;

    public static int PartitionOf(string accountId) => AccountDirectory.PartitionOf(accountId);

    public static IRevenuePartitionGrain For(IGrainFactory grains, string accountId) =>
        grains.GetGrain<IRevenuePartitionGrain>(PartitionOf(accountId));

    /// <summary>Reports of any accounts, asked of their partitions in parallel.</summary>
    public static async Task<IReadOnlyList<RevenueReport>> GetReportsAsync(IGrainFactory grains, IReadOnlyList<string> accountIds)
    {
        var pages = await Task.WhenAll(accountIds.GroupBy(PartitionOf)
            .Select(g => grains.GetGrain<IRevenuePartitionGrain>(g.Key).GetReportsAsync(g.ToArray())));
        return pages.SelectMany(p => p).ToArray();
    }
}
