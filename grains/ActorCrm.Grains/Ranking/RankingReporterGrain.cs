using System.Diagnostics;
using ActorCrm.Grains.Diagnostics;
using ActorCrm.Grains.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace ActorCrm.Grains.Ranking;

/// <summary>
/// One per silo (a local stateless worker): revenue partitions and account grains on this silo hand
/// it their newest absolute reports; it keeps only the newest per account and flushes them to both rankings on a
/// timer. A failed flush keeps the reports and retries on the next tick.
/// </summary>
[StatelessWorker(1)]
public sealed class RankingReporterGrain(IOptions<RankingOptions> options, ILogger<RankingReporterGrain> logger)
    : Grain, IRankingReporterGrain
{
    private Dictionary<string, RevenueReport> _revenue = new(StringComparer.Ordinal);
    private Dictionary<string, HierarchyReport> _hierarchy = new(StringComparer.Ordinal);
    private bool _flushing;

    /// <summary>When the oldest report not yet flushed arrived (a Stopwatch timestamp); 0 when none waits.</summary>
    private long _waitingSince;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromMilliseconds(options.Value.FlushIntervalMs);
        // Interleaved: reports keep arriving (into fresh maps) while a flush awaits the rankings.
        this.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions(interval, interval) { KeepAlive = true, Interleave = true });
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => FlushAsync();

    public Task ReportRevenueBatchAsync(Immutable<RevenueReport[]> reports)
    {
        foreach (var report in reports.Value) Hold(report);
        MarkWaiting();
        return Task.CompletedTask;
    }

    private void Hold(RevenueReport report)
    {
        if (!_revenue.TryGetValue(report.AccountId, out var held) || held.LedgerVersion < report.LedgerVersion)
            _revenue[report.AccountId] = report;
    }

    public Task ReportHierarchyAsync(HierarchyReport report)
    {
        if (!_hierarchy.TryGetValue(report.AccountId, out var held) || held.ProfileVersion < report.ProfileVersion)
            _hierarchy[report.AccountId] = report;
        MarkWaiting();
        return Task.CompletedTask;
    }

    private void MarkWaiting()
    {
        if (_waitingSince == 0) _waitingSince = Stopwatch.GetTimestamp();
    }

    private async Task FlushAsync()
    {
        if (_flushing || (_revenue.Count == 0 && _hierarchy.Count == 0)) return;
        _flushing = true;
        var revenue = _revenue;
        var hierarchy = _hierarchy;
        var waitingSince = _waitingSince;
        _revenue = new(StringComparer.Ordinal);
        _hierarchy = new(StringComparer.Ordinal);
        _waitingSince = 0;
        try
        {
            var batch = new RankingBatch([.. revenue.Values], [.. hierarchy.Values]);
            await Task.WhenAll(
                GrainFactory.GetGrain<IRankingGrain>(IRankingGrain.KeyOf(RankingScope.Account)).ApplyAsync(batch),
                GrainFactory.GetGrain<IRankingGrain>(IRankingGrain.KeyOf(RankingScope.Group)).ApplyAsync(batch));
            ActorCrmMetrics.RankingFlushed(Stopwatch.GetElapsedTime(waitingSince), succeeded: true);
        }
        catch (Exception error)
        {
            ActorCrmMetrics.RankingFlushed(Stopwatch.GetElapsedTime(waitingSince), succeeded: false);
            logger.LogWarning(error, "Ranking flush of {Revenue} revenue and {Hierarchy} hierarchy reports failed; retrying", revenue.Count, hierarchy.Count);
            foreach (var report in revenue.Values) Hold(report);
            MarkWaiting();
            foreach (var report in hierarchy.Values) await ReportHierarchyAsync(report);
            // The retried reports have waited since before anything that arrived during the flush.
            _waitingSince = waitingSince;
        }
        finally
        {
            _flushing = false;
        }
    }
}
