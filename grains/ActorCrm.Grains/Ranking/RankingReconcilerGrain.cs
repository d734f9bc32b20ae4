using Microsoft.Extensions.Logging;

namespace ActorCrm.Grains.Ranking;

/// <summary>
/// Reads every account's current reports (hierarchy from the account, revenue from its revenue
/// partition) through the directory, then those of the accounts the ranking holds that the
/// directory no longer lists (deleted ones), and applies them to both rankings.
/// Reports carry versions, so re-applying what the rankings already hold changes nothing; what was
/// lost in a dead silo's pre-aggregator is recovered.
/// </summary>
public sealed class RankingReconcilerGrain(ILogger<RankingReconcilerGrain> logger) : Grain, IRankingReconcilerGrain
{
    private const int BatchSize = 256;
    private Task<int>? _running;

    public Task StartAsync()
    {
        _ = RunAsync();
        return Task.CompletedTask;
    }

    public Task<int> RunAsync() => _running is { IsCompleted: false } ? _running : _running = SweepAsync();

    private async Task<int> SweepAsync()
    {
        var swept = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var after = "";
        var account = GrainFactory.GetGrain<IRankingGrain>(IRankingGrain.KeyOf(RankingScope.Account));
        var group = GrainFactory.GetGrain<IRankingGrain>(IRankingGrain.KeyOf(RankingScope.Group));
        try
        {
            while (true)
            {
                var page = await AccountDirectory.QueryAsync(GrainFactory, new DirectoryQuery(after, BatchSize, 0, "", "", ""));
                if (page.Count == 0) break;
                await SweepAsync(page.Select(s => s.AccountId).ToArray(), account, group);
                seen.UnionWith(page.Select(s => s.AccountId));
                swept += page.Count;
                after = page[^1].AccountId;
            }
            var vanished = (await account.ListTrackedAccountIdsAsync()).Where(id => !seen.Contains(id)).ToArray();
            foreach (var chunk in vanished.Chunk(BatchSize)) await SweepAsync(chunk, account, group);
            swept += vanished.Length;
            logger.LogInformation("Ranking reconciliation swept {Accounts} accounts", swept);
        }
        catch (Exception error)
        {
            logger.LogWarning(error, "Ranking reconciliation stopped after {Accounts} accounts", swept);
            throw;
        }
        return swept;
    }

    private async Task SweepAsync(IReadOnlyList<string> accountIds, IRankingGrain account, IRankingGrain group)
    {
        var hierarchy = Task.WhenAll(accountIds.Select(id => GrainFactory.GetKeyed<IAccountGrain>(id).GetHierarchyReportAsync()));
        var revenue = RevenuePartitions.GetReportsAsync(GrainFactory, accountIds);
        var batch = new RankingBatch([.. await revenue], [.. (await hierarchy).OfType<HierarchyReport>()]);
        await Task.WhenAll(account.ApplyAsync(batch), group.ApplyAsync(batch));
    }
}
