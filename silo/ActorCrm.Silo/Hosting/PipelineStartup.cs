using ActorCrm.Grains;

namespace ActorCrm.Silo.Hosting;

/// <summary>
/// Wakes every pipeline partition when the silo starts (see <see cref="IPipelinePartitionGrain.StartAsync"/>):
/// on a fresh store they then see an empty directory and know there is nothing to backfill, before
/// a bulk import could make their first activation ask every imported account.
/// </summary>
public sealed class PipelineStartup(IGrainFactory grains, ILogger<PipelineStartup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.WhenAll(Enumerable.Range(0, PipelinePartitions.Count).Select(p => grains.GetGrain<IPipelinePartitionGrain>(p).StartAsync()));
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // A partition that did not start now starts with its first report or query.
            logger.LogWarning(error, "Could not start the pipeline partitions");
        }
    }
}
