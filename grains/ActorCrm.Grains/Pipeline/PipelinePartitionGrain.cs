using ActorCrm.Domain.Pipeline;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace ActorCrm.Grains.Pipeline;

/// <summary>A pipeline partition's record: the newest row per account, and the versions of recently removed ones.</summary>
[GenerateSerializer, Alias("actorcrm.state.PipelinePartition")]
public sealed class PipelinePartitionState
{
    [Id(0)] public Dictionary<string, PipelineRow> Rows { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Accounts whose row went (no opportunities left, or deleted): the version and when, so a straggling older report cannot bring it back.</summary>
    [Id(1)] public Dictionary<string, RemovedPipelineRow> Removed { get; set; } = new(StringComparer.Ordinal);
}

[GenerateSerializer, Immutable, Alias("actorcrm.state.RemovedPipelineRow")]
public sealed record RemovedPipelineRow([property: Id(0)] long Version, [property: Id(1)] DateTimeOffset At);

/// <summary>
/// One partition of the pipeline pre-aggregate; see <see cref="IPipelinePartitionGrain"/>.
/// A report that changes the figures is saved before it is acknowledged. That is one write per
/// report at most — opportunity edits are human-paced (an import is the fast case) — and
/// reentrant group commit folds the reports that arrive during a save into the next one. A report
/// whose figures and account fields equal the held row's (an edit of a name or a note) only moves
/// the version in memory. Queries interleave with saves.
/// </summary>
[Reentrant]
public sealed class PipelinePartitionGrain(
    [PersistentState("pipeline", StorageNames.Large)] IPersistentState<PipelinePartitionState> state,
    ILogger<PipelinePartitionGrain> logger) : Grain, IPipelinePartitionGrain
{
    /// <summary>How long a removed row's version is remembered: far longer than any message can be in flight.</summary>
    private static readonly TimeSpan RemovedMemory = TimeSpan.FromHours(1);

    private Task _saving = Task.CompletedTask;
    private Task? _nextSave;

    public Task ReportAsync(PipelineRow row)
    {
        var rows = state.State.Rows;
        var removed = state.State.Removed;
        rows.TryGetValue(row.AccountId, out var held);
        var heldVersion = held?.Version ?? (removed.TryGetValue(row.AccountId, out var gone) ? gone.Version : 0);
        if (row.Version <= heldVersion) return _nextSave ?? _saving; // a repeat or a straggler

        if (row.IsEmpty)
        {
            removed[row.AccountId] = new RemovedPipelineRow(row.Version, DateTimeOffset.UtcNow);
            if (held is null) return Task.CompletedTask; // nothing held: nothing to save
            rows.Remove(row.AccountId);
            return SaveAsync();
        }
        removed.Remove(row.AccountId);
        rows[row.AccountId] = row;
        if (held is not null && held.SameAs(row)) return _nextSave ?? _saving; // same figures: the saved row still says the same
        return SaveAsync();
    }

    public Task<IReadOnlyList<PipelineRow>> QueryAsync(PipelineQuery query)
    {
        var rows = state.State.Rows;
        IReadOnlyList<PipelineRow> found = query switch
        {
            { AccountIds: { } ids } => ids.Select(id => rows.GetValueOrDefault(id)).OfType<PipelineRow>().ToArray(),
            { Owner.Length: > 0 } => rows.Values.Where(r => r.Owner == query.Owner).ToArray(),
            _ => rows.Values.ToArray(),
        };
        return Task.FromResult(found);
    }

    private Task SaveAsync() => _nextSave ??= SaveWhenFreeAsync();

    private async Task SaveWhenFreeAsync()
    {
        await Task.Yield(); // reports queued behind this one join it
        await _saving;
        _nextSave = null;
        var cutoff = DateTimeOffset.UtcNow - RemovedMemory;
        foreach (var id in state.State.Removed.Where(pair => pair.Value.At < cutoff).Select(pair => pair.Key).ToList()) state.State.Removed.Remove(id);
        var save = state.WriteStateAsync();
        _saving = save.ContinueWith(_ => { }, TaskScheduler.Current);
        try
        {
            await save;
        }
        catch (Exception error)
        {
            // The rows stay in memory and go out with the next save; the reporting accounts retry meanwhile.
            logger.LogWarning(error, "Pipeline partition {Partition}: save failed", this.GetPrimaryKeyLong());
            throw;
        }
    }
}
