using ActorCrm.Domain.Errors;
using ActorCrm.Domain.Revenue;
using ActorCrm.Grains.Diagnostics;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace ActorCrm.Grains.Revenue;

/// <summary>Hands a batch of events to the revenue partitions that own their accounts: one call per partition, all in parallel.</summary>
public static class RevenueIngest
{
    /// <summary>One outcome per entry, in order. A partition that does not answer leaves its events UNAVAILABLE (resend them).</summary>
    public static async Task<RevenueOutcome[]> RecordAsync(IGrainFactory grains, IReadOnlyList<AccountRevenueEntry> entries, ILogger logger)
    {
        var outcomes = new RevenueOutcome[entries.Count];
        var byPartition = new Dictionary<int, (List<int> Indexes, List<AccountRevenueEntry> Entries)>();
        for (var i = 0; i < entries.Count; i++)
        {
            var partition = RevenuePartitions.PartitionOf(entries[i].AccountId);
            if (!byPartition.TryGetValue(partition, out var slice)) byPartition[partition] = slice = ([], []);
            slice.Indexes.Add(i);
            slice.Entries.Add(entries[i]);
        }
        await Task.WhenAll(byPartition.Select(async p =>
        {
            RevenueOutcome[] results;
            try
            {
                results = await grains.GetGrain<IRevenuePartitionGrain>(p.Key).RecordAsync(p.Value.Entries.ToArray().AsImmutable());
            }
            catch (Exception error) when (error is not CrmException || error is CrmException { Kind: ErrorKind.Unavailable })
            {
                // Timeouts, a partition that could not activate (its log unreadable), storage away: nothing of the slice is acknowledged.
                logger.LogWarning(error, "Revenue partition {Partition} did not take its {Events} events; they are answered UNAVAILABLE", p.Key, p.Value.Entries.Count);
                var unavailable = RevenueOutcome.Rejected(RevenueReasons.Unavailable, "the revenue partition did not answer in time; resend the event");
                results = p.Value.Entries.Select(_ => unavailable).ToArray();
                ActorCrmMetrics.RevenueOutcomes(results);
            }
            for (var j = 0; j < results.Length; j++) outcomes[p.Value.Indexes[j]] = results[j];
        }));
        return outcomes;
    }
}
