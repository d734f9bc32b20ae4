using ActorCrm.Domain.Errors;
using ActorCrm.Domain.Pipeline;
using ActorCrm.Domain.Validation;
using ActorCrm.Grains;
using ActorCrm.Grains.Ranking;
using D = ActorCrm.Domain.Model;
using Proto = ActorCrm.Api.V1;

namespace ActorCrm.Silo.Api;

/// <summary>
/// The reading side of GetPipelineSummary: a group's account ids from the directory, the rows from
/// the pipeline partitions, each account's ABC class joined from the account ranking at read time
/// (classes move with every flush, so they are never copied into rows), and the sum
/// (<see cref="PipelineTally"/>, pure).
/// </summary>
internal static class PipelineSummaries
{
    /// <summary>Ids asked of the ranking per call.</summary>
    private const int RanksPerCall = 5000;

    /// <summary>The account and every account below it, at any depth (from the directory's parent index). NOT_FOUND if the account does not exist.</summary>
    public static async Task<IReadOnlyList<string>> SubtreeAsync(IGrainFactory grains, string accountId)
    {
        if (await grains.GetGrain<IAccountGrain>(accountId).GetAccessAsync() is null)
            throw CrmException.NotFound($"account '{accountId}' does not exist");
        return await AccountDirectory.SubtreeAsync(grains, accountId, Limits.HierarchyDepth + 1);
    }

    /// <summary>Sums the rows in <paramref name="currencyCode"/>, with each account's current ABC class.</summary>
    public static async Task<PipelineTotals> SumAsync(IGrainFactory grains, IReadOnlyList<PipelineRow> rows, string currencyCode)
    {
        // Only open figures are grouped by class: rank only the accounts that have some in the currency.
        var ranked = rows.Where(r => r.Lines.Any(l => l.Status == D.OpportunityStatus.Open && l.CurrencyCode == currencyCode))
            .Select(r => r.AccountId).ToArray();
        var classes = new Dictionary<string, int>(StringComparer.Ordinal);
        var ranking = grains.GetGrain<IRankingGrain>(IRankingGrain.KeyOf(RankingScope.Account));
        foreach (var ranks in await Task.WhenAll(ranked.Chunk(RanksPerCall).Select(chunk => ranking.GetRanksAsync(chunk))))
            foreach (var rank in ranks) classes[rank.AccountId] = (int)rank.Grade;

        var tally = new PipelineTally(currencyCode);
        foreach (var row in rows) tally.Add(row, classes.GetValueOrDefault(row.AccountId));
        return tally.Result();
    }

    public static Proto.PipelineSummary ToProto(PipelineTotals totals)
    {
        var summary = new Proto.PipelineSummary
        {
            OpenCount = totals.Open.Count,
            OpenAmountMinor = totals.Open.AmountMinor,
            WeightedAmountMinor = totals.Open.WeightedAmountMinor,
            WonCount = totals.WonCount,
            WonAmountMinor = totals.WonAmountMinor,
            LostCount = totals.LostCount,
            LostAmountMinor = totals.LostAmountMinor,
            CurrencyCode = totals.CurrencyCode,
            AccountCount = totals.AccountCount,
            OtherCurrencyCount = totals.OtherCurrencyCount,
        };
        summary.ByStage.AddRange(totals.ByStage.Select(p => Bucket(p.Value, b => b.Stage = (Proto.Stage)p.Key)));
        summary.ByTier.AddRange(totals.ByTier.Select(p => Bucket(p.Value, b => b.Tier = (Proto.StrategicTier)p.Key)));
        summary.ByAbcClass.AddRange(totals.ByAbcClass.Select(p => Bucket(p.Value, b => b.AbcClass = (Proto.AbcClass)p.Key)));
        summary.Won.AddRange(totals.Won.Select(Closed));
        summary.Lost.AddRange(totals.Lost.Select(Closed));
        return summary;
    }

    private static Proto.PipelineBucket Bucket(OpenFigures figures, Action<Proto.PipelineBucket> key)
    {
        var bucket = new Proto.PipelineBucket
        {
            OpenCount = figures.Count, OpenAmountMinor = figures.AmountMinor, WeightedAmountMinor = figures.WeightedAmountMinor,
        };
        key(bucket);
        return bucket;
    }

    private static Proto.ClosedBucket Closed(ClosedFigures figures) =>
        new() { CloseReason = figures.CloseReason, Count = figures.Count, AmountMinor = figures.AmountMinor };
}
