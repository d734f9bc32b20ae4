using ActorCrm.Grains.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace ActorCrm.Grains.Retention;

/// <summary>A partition's schedule: contact id → the time its profile may be kept until.</summary>
[GenerateSerializer, Alias("actorcrm.state.RetentionSchedule")]
public sealed class RetentionScheduleState
{
    [Id(0)] public Dictionary<string, DateTimeOffset> RetainUntil { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// One partition of the retention schedule; see <see cref="IRetentionScheduleGrain"/>. Reentrant
/// with group commit: schedules that arrive while a save is in flight go out together in the next.
/// The record is the partition's whole schedule (ids and times only, no personal data).
/// </summary>
[Reentrant]
public sealed class RetentionScheduleGrain(
    [PersistentState("retention", StorageNames.Large)] IPersistentState<RetentionScheduleState> state,
    [FromKeyedServices(ProductClock.Key)] TimeProvider clock,
    ILogger<RetentionScheduleGrain> logger) : Grain, IRetentionScheduleGrain
{
    /// <summary>Contacts erased at the same time during a sweep.</summary>
    private const int ErasuresInFlight = 16;

    private Task _saving = Task.CompletedTask;
    private Task? _nextSave;
    private bool _sweeping;

    public Task ScheduleAsync(string contactId, DateTimeOffset retainUntil)
    {
        if (state.State.RetainUntil.TryGetValue(contactId, out var held) && held == retainUntil) return _nextSave ?? _saving;
        state.State.RetainUntil[contactId] = retainUntil;
        return SaveAsync();
    }

    public async Task<int> SweepAsync()
    {
        if (_sweeping) return 0; // one sweep at a time; a second caller (another silo's sweeper) has nothing to add
        _sweeping = true;
        try
        {
            var now = clock.GetUtcNow();
            var due = state.State.RetainUntil.Where(pair => pair.Value <= now).ToList();
            if (due.Count == 0) return 0;
            var resolved = 0;
            await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = ErasuresInFlight, TaskScheduler = TaskScheduler.Current }, async (entry, _) =>
            {
                var pending = await GrainFactory.GetGrain<IContactGrain>(entry.Key).EraseExpiredProfileAsync();
                // Unless the contact scheduled a new time meanwhile (a new profile), its entry is done or moves.
                if (!state.State.RetainUntil.TryGetValue(entry.Key, out var held) || held != entry.Value) return;
                if (pending is { } later) state.State.RetainUntil[entry.Key] = later;
                else
                {
                    state.State.RetainUntil.Remove(entry.Key);
                    resolved++;
                }
            });
            await SaveAsync();
            logger.LogInformation("Retention partition {Partition}: {Due} due, schedule now {Held}", this.GetPrimaryKeyLong(), due.Count, state.State.RetainUntil.Count);
            return resolved;
        }
        finally
        {
            _sweeping = false;
        }
    }

    private Task SaveAsync() => _nextSave ??= SaveWhenFreeAsync();

    private async Task SaveWhenFreeAsync()
    {
        await Task.Yield(); // schedules queued behind this one join it
        await _saving;
        _nextSave = null;
        var save = state.WriteStateAsync();
        _saving = save.ContinueWith(_ => { }, TaskScheduler.Current);
        await save;
    }
}
