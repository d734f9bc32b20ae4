using ActorCrm.Domain.Pipeline;
using Orleans.Concurrency;

namespace ActorCrm.Grains;

/// <summary>
/// One partition of the pipeline pre-aggregate (key 0 … <see cref="PipelinePartitions.Count"/>−1):
/// the newest pipeline row of every account that hashes to it. Accounts report their absolute,
/// versioned rows after each committed opportunity or profile write; GetPipelineSummary asks every
/// partition (or only those of a subtree's accounts) in parallel for the matching rows and sums
/// them, so no single grain sees every write or every read.
/// </summary>
[Alias("actorcrm.IPipelinePartitionGrain")]
public interface IPipelinePartitionGrain : IGrainWithIntegerKey
{
    /// <summary>Keeps the row unless a newer version is held (an empty row removes the account); durable when it returns.</summary>
    [Alias("Report")] Task ReportAsync(PipelineRow row);

    /// <summary>The rows this partition holds that match the query.</summary>
    [ReadOnly, Alias("Query")] Task<IReadOnlyList<PipelineRow>> QueryAsync(PipelineQuery query);

    /// <summary>
    /// Activates the partition, which on its very first activation decides whether a backfill is
    /// needed (see PipelinePartitionGrain). Every silo calls it for every partition when it starts, so
    /// a fresh store is known to be fresh before its first account is created.
    /// </summary>
    [Alias("Start")] Task StartAsync();
}

/// <summary>Which rows: those of an owner, of listed accounts, or (neither given) all.</summary>
[GenerateSerializer, Immutable, Alias("actorcrm.PipelineQuery")]
public sealed record PipelineQuery(
    [property: Id(0)] string Owner,
    [property: Id(1)] IReadOnlyList<string>? AccountIds)
{
    public static readonly PipelineQuery All = new("", null);

    public static PipelineQuery ForOwner(string owner) => new(owner, null);

    public static PipelineQuery ForAccounts(IReadOnlyList<string> accountIds) => new("", accountIds);
}

/// <summary>The pipeline partitions as a whole: which one holds an account, and the fan-out of a query.</summary>
public static class PipelinePartitions
{
    /// <summary>Fixed for a deployment: changing it would strand rows in the old partitions.</summary>
    public const int Count = 16;

    public static int PartitionOf(string accountId) => (int)(Domain.StableHash.Fnv1a32(accountId) % Count);

    public static IPipelinePartitionGrain For(IGrainFactory grains, string accountId) =>
        grains.GetGrain<IPipelinePartitionGrain>(PartitionOf(accountId));

    /// <summary>Matching rows from every partition (an account-id query asks only the partitions of its ids).</summary>
    public static async Task<IReadOnlyList<PipelineRow>> QueryAsync(IGrainFactory grains, PipelineQuery query)
    {
        var calls = query.AccountIds is { } ids
            ? ids.GroupBy(PartitionOf).Select(g => grains.GetGrain<IPipelinePartitionGrain>(g.Key).QueryAsync(PipelineQuery.ForAccounts(g.ToArray())))
            : Enumerable.Range(0, Count).Select(p => grains.GetGrain<IPipelinePartitionGrain>(p).QueryAsync(query));
        var pages = await Task.WhenAll(calls);
        return pages.SelectMany(page => page).ToArray();
    }
}
