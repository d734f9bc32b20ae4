using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Storage;

namespace ActorCrm.Grains.Accounts.Profiles;

/// <summary>
/// One profile partition (see <see cref="IProfilePartitionGrain"/>), saved through a <see cref="ProfileLogStore"/>.
/// </summary>
/// <remarks>
/// Group commit as in AccountDirectoryGrain: the grain is reentrant, a write is checked against the
/// newest version of its key and queued at once, and every write that arrives while an append (or a
/// checkpoint) is in flight goes out in the following append. A write is acknowledged only once its
/// log record is stored; a read of a key with a write still in flight waits for it.
/// </remarks>
[Reentrant]
public sealed class ProfilePartitionGrain(
    [FromKeyedServices(StorageNames.Large)] IGrainStorage storage,
    ILogger<ProfilePartitionGrain> logger) : Grain, IProfilePartitionGrain
{
    private ProfileLogStore _store = null!;

    /// <summary>The append (and checkpoint) in flight, which never faults, and the save that will carry writes made meanwhile.</summary>
    private Task _saving = Task.CompletedTask;
    private Task? _nextSave;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _store = new ProfileLogStore(storage, this.GetGrainId());
        if (await _store.LoadAsync()) return;
        // First activation ever. Its accounts are the directory partition's of the same number: if that
        // lists any, they were created before profiles moved here and each still has its own record.
        // (An account is saved here before it is listed, so nothing created since can be counted.)
        var listed = await GrainFactory.GetGrain<IAccountDirectoryGrain>(this.GetPrimaryKeyLong()).CountAsync();
        await _store.CreateAsync(earlierRecordsPossible: listed > 0);
        if (listed > 0)
            logger.LogInformation("Profile partition {Partition}: created over {Accounts} listed accounts; their own records are read until each is written here",
                this.GetPrimaryKeyLong(), listed);
    }

    public async Task<ProfileRead> ReadAsync(string key)
    {
        while (_store.IsUnsaved(key))
        {
            try { await SaveAsync(); }
            catch (Exception) { /* the write failed and was dropped: read what is durable */ }
        }
        return new ProfileRead(await _store.FindAsync(key), _store.EarlierRecordsPossible);
    }

    public Task<bool> EarlierRecordsPossibleAsync() => Task.FromResult(_store.EarlierRecordsPossible);

    public async Task<long?> WriteAsync(string key, long expectedVersion, byte[]? data)
    {
        var held = await _store.LatestAsync(key);
        if (held.Version != expectedVersion) return null;
        var record = new ProfileRecord(expectedVersion + 1, data);
        _store.Put(key, record);
        await SaveAsync();
        // Dropped with a failed append it was based on (two writers of one key): not durable.
        if ((await _store.FindAsync(key)).Version < record.Version)
            throw new IOException($"the write of '{key}' was dropped with an earlier write that failed");
        return record.Version;
    }

    /// <summary>Waits for the save that carries every write queued so far (joining the next one if a save is in flight).</summary>
    private Task SaveAsync() => _nextSave ??= SaveWhenFreeAsync();

    private async Task SaveWhenFreeAsync()
    {
        await Task.Yield(); // lets SaveAsync store this task first, and the writes queued behind this one join it
        await _saving;
        _nextSave = null; // writes from here on go out with the save after this one
        var append = _store.AppendAsync();
        _saving = CheckpointIfDueAsync(append);
        await append;
    }

    private async Task CheckpointIfDueAsync(Task append)
    {
        try
        {
            await append;
            if (_store.CheckpointDue) await _store.CheckpointAsync();
        }
        catch (Exception error)
        {
            // The log holds every acknowledged write; the checkpoint is tried again after the next append.
            if (append.IsCompletedSuccessfully) logger.LogWarning(error, "Profile partition {Partition}: checkpoint failed", this.GetPrimaryKeyLong());
        }
    }
}
