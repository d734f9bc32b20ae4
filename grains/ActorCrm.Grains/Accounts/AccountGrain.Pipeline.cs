using ActorCrm.Domain.Pipeline;
using Microsoft.Extensions.Logging;

namespace ActorCrm.Grains.Accounts;

/// <summary>
/// The account's side of the pipeline summary: after each committed write of its opportunities,
/// and after a change of its own fields while it holds opportunities, it reports its whole
/// pipeline row to its pipeline partition (<see cref="IPipelinePartitionGrain"/>) and waits for it,
/// so a summary read after an acknowledged write shows that write. The write itself is already
/// durable: a failed report does not fail the command; it is retried on a timer until it lands.
/// </summary>
public sealed partial class AccountGrain
{
    /// <summary>The row the partition confirmed last (in this activation).</summary>
    private PipelineRow? _reportedPipeline;
    private IGrainTimer? _pipelineRetry;

    /// <summary>Grows with every write of the profile or the opportunities (each of which only grows; an opportunity delete counts too).</summary>
    private long PipelineVersion => profile.State.Version + _opportunities.State.LastVersion;

    /// <param name="opportunitiesWritten">True after a write of the opportunities (which may have emptied them: the partition must hear of it).</param>
    private async Task PublishPipelineAsync(bool opportunitiesWritten)
    {
        if (!_opportunities.IsLoaded) return;
        var row = PipelineRow.Of(Id, profile.State.Account, PipelineVersion, _opportunities.State.Items.Select(v => v.Opportunity));
        if (_reportedPipeline is null ? row.IsEmpty && !opportunitiesWritten : _reportedPipeline.SameAs(row)) return;
        try
        {
            await (_pipelinePartition ??= PipelinePartitions.For(GrainFactory, Id)).ReportAsync(row);
            _reportedPipeline = row;
            _pipelineRetry?.Dispose();
            _pipelineRetry = null;
        }
        catch (Exception error)
        {
            logger.LogWarning(error, "Account {AccountId}: pipeline report failed; retrying", Id);
            _pipelineRetry ??= this.RegisterGrainTimer(() => PublishPipelineAsync(opportunitiesWritten: true),
                new GrainTimerCreationOptions(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)) { KeepAlive = true });
        }
    }

    public async Task ReportPipelineAsync()
    {
        if (profile.State.Account is null) return;
        await _opportunities.LoadAsync();
        await PublishPipelineAsync(opportunitiesWritten: false);
    }

    private IPipelinePartitionGrain? _pipelinePartition;
}
