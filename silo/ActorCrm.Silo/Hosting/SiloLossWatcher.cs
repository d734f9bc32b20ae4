using ActorCrm.Grains.Ranking;
using Orleans.Runtime;

namespace ActorCrm.Silo.Hosting;

/// <summary>
/// When the cluster declares a silo dead, the reports still buffered in that silo's ranking
/// pre-aggregator are gone (the ledgers themselves are saved). This asks the reconciler to sweep the
/// saved ledgers into the rankings. Every silo watches; the reconciler runs one sweep at a time.
/// </summary>
public sealed class SiloLossWatcher(
    IClusterMembershipService membership,
    IGrainFactory grains,
    IHostApplicationLifetime lifetime,
    ILogger<SiloLossWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled()))
        {
            try
            {
                await started.Task;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        // Silos already dead when this one starts were handled when they died (or by the sweep a
        // ranking runs when it activates); only deaths seen from now on count.
        var dead = membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Dead).Select(m => m.SiloAddress).ToHashSet();
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
            {
                var newlyDead = snapshot.Members.Values
                    .Where(m => m.Status == SiloStatus.Dead && dead.Add(m.SiloAddress))
                    .Select(m => m.SiloAddress).ToList();
                if (newlyDead.Count == 0) continue;
                logger.LogWarning("Silo(s) {Silos} declared dead: reconciling the rankings", string.Join(", ", newlyDead));
                await ReconcileAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Runs a sweep to completion; right after a silo loss the reconciler itself may be moving, so failures are retried.</summary>
    private async Task ReconcileAsync(CancellationToken stoppingToken)
    {
        for (var attempt = 1; attempt <= 10 && !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                var swept = await grains.GetGrain<IRankingReconcilerGrain>(0).RunAsync();
                logger.LogInformation("Rankings reconciled after a silo loss: {Accounts} accounts swept", swept);
                return;
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                logger.LogWarning(error, "Ranking reconciliation attempt {Attempt} failed; retrying", attempt);
                await Task.Delay(TimeSpan.FromSeconds(2 * attempt), stoppingToken);
            }
        }
    }
}
