using ActorCrm.Grains;

namespace ActorCrm.Silo.Hosting;

/// <summary>
/// Every Retention:SweepIntervalSeconds (default 3600) this silo asks each retention partition to
/// erase the personal profiles whose retention time has passed. Every silo sweeps; a partition runs
/// one sweep at a time and erasing is idempotent, so more silos only mean more punctual sweeps.
/// </summary>
public sealed class RetentionSweeper(IGrainFactory grains, IConfiguration config, ILogger<RetentionSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(Math.Max(1, config.GetValue("Retention:SweepIntervalSeconds", 3600)));
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var erased = await RetentionSchedule.SweepAllAsync(grains);
                if (erased > 0) logger.LogInformation("Retention sweep: {Erased} personal profiles erased or gone", erased);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                logger.LogWarning(error, "Retention sweep failed; the next one tries again");
            }
        }
    }
}
