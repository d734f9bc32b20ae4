using ActorCrm.Domain.Pipeline;
using ActorCrm.Domain.Model;
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

    /// <summary>Whether every account that existed when the partition first started has reported (see PipelinePartitionGrain.BackfillAsync).</summary>
    [Id(2)] public bool Backfilled { get; set; }
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

    // The working copy; each save writes a snapshot of it, so the record never aliases what later reports change.
    private Dictionary<string, PipelineRow> _rows = null!;
    private Dictionary<string, RemovedPipelineRow> _removed = null!;

    /// <summary>Changes applied in memory, and how many of them the last successful save held.</summary>
    private long _changes, _savedChanges;

    private bool _backfilled;
    private IGrainTimer? _backfill;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _rows = new(state.State.Rows, StringComparer.Ordinal);
        _removed = new(state.State.Removed, StringComparer.Ordinal);
        _backfilled = state.State.Backfilled;
        if (_backfilled) return;
        if (await DirectoryIsEmptyAsync())
        {
            // A fresh store: every account will be created by code that reports, so there is nothing
            // to backfill — and a bulk import that follows must not make this partition wake every account.
            _backfilled = true;
            _changes++;
            await SaveAsync();
            return;
        }
        ScheduleBackfill(TimeSpan.FromSeconds(1));
    }

    public Task StartAsync() => Task.CompletedTask;

    /// <summary>Whether the directory partitions whose accounts this partition holds list no account.</summary>
    private async Task<bool> DirectoryIsEmptyAsync()
    {
        var me = (int)this.GetPrimaryKeyLong();
        var counts = await Task.WhenAll(Enumerable.Range(0, AccountDirectory.Partitions)
            .Where(d => d % PipelinePartitions.Count == me)
            .Select(d => GrainFactory.GetGrain<IAccountDirectoryGrain>(d).CountAsync()));
        return counts.All(count => count == 0);
    }

    private void ScheduleBackfill(TimeSpan dueTime)
    {
        _backfill?.Dispose();
        _backfill = this.RegisterGrainTimer(BackfillAsync, new GrainTimerCreationOptions(dueTime, Timeout.InfiniteTimeSpan) { Interleave = true, KeepAlive = true });
    }

    /// <summary>
    /// Accounts that held opportunities before the pipeline existed (or before this partition ever
    /// saved) have not reported: once, the partition asks every account it owns to report. They are
    /// listed from the directory partitions with the same hash residue (the directory has a multiple
    /// of this many partitions) and asked 256 at a time; each reads its opportunities (they are the
    /// record) and, if it holds some, reports. A one-time cost per store: one activation per account.
    /// Reports interleave with the backfill; versions make repeats harmless.
    /// </summary>
    private async Task BackfillAsync()
    {
        const int PageSize = 256;
        var me = (int)this.GetPrimaryKeyLong();
        var accounts = 0;
        var failed = 0;
        for (var d = me; d < AccountDirectory.Partitions; d += PipelinePartitions.Count)
        {
            var directory = GrainFactory.GetGrain<IAccountDirectoryGrain>(d);
            for (var after = ""; ;)
            {
                IReadOnlyList<AccountSummary> page;
                try
                {
                    page = await directory.QueryAsync(new DirectoryQuery(after, PageSize, StrategicTier.Unspecified, "", "", ""));
                }
                catch (Exception error)
                {
                    logger.LogWarning(error, "Pipeline partition {Partition}: backfill could not list directory partition {Directory}; trying again in a minute", me, d);
                    ScheduleBackfill(TimeSpan.FromMinutes(1));
                    return;
                }
                var outcomes = await Task.WhenAll(page.Where(s => PipelinePartitions.PartitionOf(s.AccountId) == me).Select(async s =>
                {
                    try
                    {
                        await GrainFactory.GetGrain<IAccountGrain>(s.AccountId).ReportPipelineAsync();
                        return true;
                    }
                    catch (Exception)
                    {
                        return false;
                    }
                }));
                accounts += outcomes.Length;
                failed += outcomes.Count(ok => !ok);
                if (page.Count < PageSize) break;
                after = page[^1].AccountId;
            }
        }
        if (failed > 0)
        {
            logger.LogWarning("Pipeline partition {Partition}: backfill: {Failed} of {Accounts} accounts did not report; trying again in a minute", me, failed, accounts);
            ScheduleBackfill(TimeSpan.FromMinutes(1));
            return;
        }
        _backfilled = true;
        _changes++;
        try
        {
            await SaveAsync();
            logger.LogInformation("Pipeline partition {Partition}: backfilled from {Accounts} accounts", me, accounts);
            _backfill?.Dispose();
            _backfill = null;
        }
        catch (Exception)
        {
            ScheduleBackfill(TimeSpan.FromMinutes(1)); // the save failed (logged): the marker goes with a later save, or the backfill runs again
        }
    }

    public Task ReportAsync(PipelineRow row)
    {
        _rows.TryGetValue(row.AccountId, out var held);
        var heldVersion = held?.Version ?? (_removed.TryGetValue(row.AccountId, out var gone) ? gone.Version : 0);
        if (row.Version <= heldVersion) return DurableAsync(); // a repeat or a straggler: done once what is held is saved

        if (row.IsEmpty)
        {
            _removed[row.AccountId] = new RemovedPipelineRow(row.Version, DateTimeOffset.UtcNow);
            if (held is null) return DurableAsync(); // nothing held: nothing new to save
            _rows.Remove(row.AccountId);
        }
        else
        {
            _removed.Remove(row.AccountId);
            _rows[row.AccountId] = row;
            if (held is not null && held.SameAs(row)) return DurableAsync(); // same figures: the saved row still says the same
        }
        _changes++;
        return SaveAsync();
    }

    public Task<IReadOnlyList<PipelineRow>> QueryAsync(PipelineQuery query)
    {
        IReadOnlyList<PipelineRow> found = query switch
        {
            { AccountIds: { } ids } => ids.Select(id => _rows.GetValueOrDefault(id)).OfType<PipelineRow>().ToArray(),
            { Owner.Length: > 0 } => _rows.Values.Where(r => r.Owner == query.Owner).ToArray(),
            _ => _rows.Values.ToArray(),
        };
        return Task.FromResult(found);
    }

    /// <summary>Completes once every change made so far is saved (after a failed save, by saving again).</summary>
    private Task DurableAsync() => _savedChanges < _changes ? SaveAsync() : _nextSave ?? _saving;

    private Task SaveAsync() => _nextSave ??= SaveWhenFreeAsync();

    private async Task SaveWhenFreeAsync()
    {
        await Task.Yield(); // reports queued behind this one join it
        await _saving;
        _nextSave = null;
        var cutoff = DateTimeOffset.UtcNow - RemovedMemory;
        foreach (var id in _removed.Where(pair => pair.Value.At < cutoff).Select(pair => pair.Key).ToList()) _removed.Remove(id);
        var changes = _changes;
        state.State = new PipelinePartitionState
        {
            Rows = new(_rows, StringComparer.Ordinal), Removed = new(_removed, StringComparer.Ordinal), Backfilled = _backfilled,
        };
        var save = state.WriteStateAsync();
        _saving = save.ContinueWith(_ => { }, TaskScheduler.Current);
        try
        {
            await save;
            _savedChanges = Math.Max(_savedChanges, changes);
        }
        catch (Exception error)
        {
            // The rows stay in memory and go out with the next save; the reporting accounts retry meanwhile.
            logger.LogWarning(error, "Pipeline partition {Partition}: save failed", this.GetPrimaryKeyLong());
            throw;
        }
    }
}
