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
        try
        {
            await WriteOnceAsync(value);
        }
        catch (InconsistentStateException)
        {
            await AdoptStoredETagAsync();
            await WriteOnceAsync(value);
        }
    }

    public async Task ClearAsync()
    {
        try
        {
            await ClearOnceAsync();
        }
        catch (InconsistentStateException)
        {
            await AdoptStoredETagAsync();
            await ClearOnceAsync();
        }
    }

    private async Task WriteOnceAsync(T value)
    {
        var state = new GrainState<T>(value) { ETag = _etag, RecordExists = _exists };
        await storage.WriteStateAsync(name, grainId, state);
        _etag = state.ETag;
        _exists = true;
    }

    private async Task ClearOnceAsync()
    {
        if (!_exists) return;
        var state = new GrainState<T>(new T()) { ETag = _etag, RecordExists = true };
        await storage.ClearStateAsync(name, grainId, state);
        _etag = null;
        _exists = false;
    }

    /// <summary>
    /// Refused for its ETag: a write of ours whose answer was lost (a timeout) landed after all, or a
    /// dead activation's did. The owning activation is the record's only writer, so it reads the
    /// stored ETag and writes again at once, instead of failing this call and the next (a new record
    /// would otherwise be refused as "already exists"). Only a refusal costs the read: an outage
    /// fails as fast as before.
    /// </summary>
    private async Task AdoptStoredETagAsync()
    {
        var stored = new GrainState<T>(new T());
        await storage.ReadStateAsync(name, grainId, stored);
        _etag = stored.ETag;
        _exists = stored.RecordExists;
    }
}
