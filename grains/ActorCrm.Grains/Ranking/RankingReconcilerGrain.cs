using Microsoft.Extensions.Logging;

namespace ActorCrm.Grains.Ranking;

/// <summary>
/// Reads every account's current reports through the directory (hierarchy from the directory's own
/// listing, which holds the parent, name, tier and profile version, so no account is activated;
/// revenue from its revenue partition), then those of the accounts the ranking holds that the
/// directory no longer lists (deleted ones, asked directly), and applies them to both rankings.
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
                var listed = page.Select(s => new HierarchyReport(s.AccountId, s.ParentAccountId, s.Version, false, s.DisplayName, s.Tier, s.YearlyPurchaseVolumeMinor)).ToArray();
                await SweepAsync(page.Select(s => s.AccountId).ToArray(), listed, account, group);
                seen.UnionWith(page.Select(s => s.AccountId));
                swept += page.Count;
                after = page[^1].AccountId;
            }
            var vanished = (await account.ListTrackedAccountIdsAsync()).Where(id => !seen.Contains(id)).ToArray();
            foreach (var chunk in vanished.Chunk(BatchSize))
            {
                var reports = await Task.WhenAll(chunk.Select(id => GrainFactory.GetKeyed<IAccountGrain>(id).GetHierarchyReportAsync()));
                await SweepAsync(chunk, reports.OfType<HierarchyReport>().ToArray(), account, group);
            }
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

    private async Task SweepAsync(IReadOnlyList<string> accountIds, IReadOnlyList<HierarchyReport> hierarchy, IRankingGrain account, IRankingGrain group)
    {
        var revenue = await RevenuePartitions.GetReportsAsync(GrainFactory, accountIds);
        var batch = new RankingBatch([.. revenue], [.. hierarchy]);
        await Task.WhenAll(account.ApplyAsync(batch), group.ApplyAsync(batch));
    }
}
