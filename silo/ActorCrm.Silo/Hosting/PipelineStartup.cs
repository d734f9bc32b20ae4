using ActorCrm.Grains;

namespace ActorCrm.Silo.Hosting;

/// <summary>
/// Wakes every pipeline partition when the silo starts, before it takes requests (see
/// <see cref="IPipelinePartitionGrain.StartAsync"/>): on a fresh store they then see an empty
/// directory and know there is nothing to backfill, before a bulk import could make their first
/// activation ask every imported account. A partition that cannot start now (storage down) starts
/// with its first report or query instead; the silo does not wait for it longer than a minute.
/// </summary>
public sealed class PipelineStartup(IGrainFactory grains, ILogger<PipelineStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(Enumerable.Range(0, PipelinePartitions.Count).Select(p => grains.GetGrain<IPipelinePartitionGrain>(p).StartAsync()))
                .WaitAsync(TimeSpan.FromMinutes(1), cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            logger.LogWarning(error, "Could not start the pipeline partitions; they start with their first use");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
