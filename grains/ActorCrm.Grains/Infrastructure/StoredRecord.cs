using Orleans.Storage;

namespace ActorCrm.Grains.Infrastructure;

/// <summary>
/// One named record of a grain that keeps its state in several records (chunks, segments) instead
/// of one <see cref="IPersistentState{TState}"/>, so a write touches only the records that changed.
/// The owner hands in an immutable copy to write; the record keeps the ETag.
/// </summary>
public sealed class StoredRecord<T>(IGrainStorage storage, GrainId grainId, string name) where T : class, new()
{
    private string? _etag;
    private bool _exists;

    public string Name => name;

    /// <summary>Whether storage holds this record (as far as this activation knows).</summary>
    public bool Exists => _exists;

    public async Task<T> ReadAsync()
    {
        var state = new GrainState<T>(new T());
        await storage.ReadStateAsync(name, grainId, state);
        _etag = state.ETag;
        _exists = state.RecordExists;
        return state.State ?? new T();
    }

    /// <summary>Writes <paramref name="value"/>, which the caller must not change afterwards.</summary>
    public async Task WriteAsync(T value)
    {
        var state = new GrainState<T>(value) { ETag = _etag, RecordExists = _exists };
        try
        {
            await storage.WriteStateAsync(name, grainId, state);
        }
        catch (Exception)
        {
            await AdoptStoredETagAsync();
            throw;
        }
        _etag = state.ETag;
        _exists = true;
    }

    public async Task ClearAsync()
    {
        if (!_exists) return;
        var state = new GrainState<T>(new T()) { ETag = _etag, RecordExists = true };
        try
        {
            await storage.ClearStateAsync(name, grainId, state);
        }
        catch (Exception)
        {
            await AdoptStoredETagAsync();
            throw;
        }
        _etag = null;
        _exists = false;
    }

    /// <summary>
    /// A write whose answer was lost (a timeout, an outage) may have landed, leaving our ETag stale:
    /// the next write would then be refused (for a new record: "already exists"). The owning
    /// activation is the record's only writer, so the next write may overwrite what is stored: it
    /// reads the stored ETag now (the exception carries only ours).
    /// </summary>
    private async Task AdoptStoredETagAsync()
    {
        try
        {
            var stored = new GrainState<T>(new T());
            await storage.ReadStateAsync(name, grainId, stored);
            _etag = stored.ETag;
            _exists = stored.RecordExists;
        }
        catch (Exception)
        {
            // Storage is still away: the next write fails the same way and tries again.
        }
    }
}
