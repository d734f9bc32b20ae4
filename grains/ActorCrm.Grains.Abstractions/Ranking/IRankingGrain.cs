using ActorCrm.Grains.Watching;
using Orleans.Concurrency;

namespace ActorCrm.Grains.Ranking;

/// <summary>
/// The rolling concentration of one scope (key = "account" or "group"). It is fed only by the
/// per-silo pre-aggregators, at their flush rate, never per event. It keeps every account's window
/// buckets, so it moves totals itself when revenue ages out at local midnight, with no account awake.
/// Reads interleave with a flush's storage write: they never wait behind writers.
/// </summary>
[Alias("actorcrm.IRankingGrain")]
public interface IRankingGrain : IGrainWithStringKey
{
    public static string KeyOf(RankingScope scope) => scope == RankingScope.Group ? "group" : "account";

    /// <summary>Applies a batch; reports not newer than what is held are ignored. Saving happens on the ranking's own cadence.</summary>
    [Alias("Apply")] Task ApplyAsync(RankingBatch batch);

    [AlwaysInterleave, Alias("GetConcentration")] Task<ConcentrationView> GetConcentrationAsync();

    [AlwaysInterleave, Alias("ListTop")] Task<IReadOnlyList<RankedRowView>> ListTopAsync(int offset, int count);

    [AlwaysInterleave, Alias("GetRank")] Task<AccountRankView> GetRankAsync(string accountId);

    /// <summary>The ranks of several accounts at once (for joining list rows).</summary>
    [AlwaysInterleave, Alias("GetRanks")] Task<IReadOnlyList<AccountRankView>> GetRanksAsync(IReadOnlyList<string> accountIds);

    /// <summary>The ranked rows of one ABC class (Unranked = every ranked row), in rank order, at most <paramref name="max"/>.</summary>
    [AlwaysInterleave, Alias("ListRanked")] Task<IReadOnlyList<RankedRowView>> ListRankedAsync(AbcGrade grade, int max);

    /// <summary>The account's window revenue against its yearly purchase volume, alone and over its subtree (meaningful in group scope, which holds the hierarchy).</summary>
    [AlwaysInterleave, Alias("GetShareOfWallet")] Task<Domain.Insights.ShareOfWallet> GetShareOfWalletAsync(string accountId);

    [AlwaysInterleave, Alias("WhatIf")]
    Task<ConcentrationView> WhatIfAsync(IReadOnlyList<string> removeAccountIds, IReadOnlyList<RevenueAdjustmentEntry> adjustments);

    [AlwaysInterleave, Alias("GetHistory")] Task<IReadOnlyList<ConcentrationDay>> GetHistoryAsync(DateOnly? from, DateOnly? to);

    /// <summary>Accounts the ranking holds revenue for and believes alive (for reconciliation).</summary>
    [AlwaysInterleave, Alias("ListTracked")] Task<IReadOnlyList<string>> ListTrackedAccountIdsAsync();

    /// <summary>Registers (or renews) a silo's observer, which then gets every published snapshot; returns the current one.</summary>
    [AlwaysInterleave, Alias("Watch")] Task<PublishedConcentration> WatchAsync(IConcentrationObserver observer);

    [AlwaysInterleave, OneWay, Alias("Unwatch")] Task UnwatchAsync(IConcentrationObserver observer);

    /// <summary>Moves the window to the product clock's current day now (a timer does this every second).</summary>
    [Alias("AdvanceClock")] Task AdvanceClockAsync();
}

/// <summary>
/// The per-silo pre-aggregator: account grains hand it their latest absolute reports; it keeps only
/// the newest per account and flushes them as one batch per scope every Ranking:FlushIntervalMs, so
/// the ranking's message rate is the flush rate, not the event rate.
/// </summary>
[Alias("actorcrm.IRankingReporterGrain")]
public interface IRankingReporterGrain : IGrainWithIntegerKey
{
    // One-way: a revenue partition or an account must not wait for the pre-aggregator. A lost report
    // is recovered by reconciliation (the ledger and the profile are already durable when it is sent).
    [OneWay, Alias("ReportRevenueBatch")] Task ReportRevenueBatchAsync(Immutable<RevenueReport[]> reports);

    [OneWay, Alias("ReportHierarchy")] Task ReportHierarchyAsync(HierarchyReport report);
}

/// <summary>
/// Brings the rankings up to date with every account's saved ledger and parent — after a restart
/// or a silo loss, when reports still buffered in a dead silo's pre-aggregator are gone.
/// </summary>
[Alias("actorcrm.IRankingReconcilerGrain")]
public interface IRankingReconcilerGrain : IGrainWithIntegerKey
{
    /// <summary>Starts a sweep (or does nothing if one runs); returns at once.</summary>
    [OneWay, Alias("Start")] Task StartAsync();

    /// <summary>Runs a full sweep and returns when it is done.</summary>
    [Alias("Run")] Task<int> RunAsync();
}
