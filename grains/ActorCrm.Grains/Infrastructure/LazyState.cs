using ActorCrm.Domain.Errors;
using Orleans.Storage;

namespace ActorCrm.Grains.Infrastructure;

/// <summary>
/// A grain state read on first use instead of on activation, stored under the same name an
/// <see cref="IPersistentState{TState}"/> would use. A grain with several states makes the
/// calls that need only one of them (a create, above all) cost one storage read instead of all.
/// Writes are copy-and-swap like <see cref="StateWrites"/>.
/// </summary>
public sealed class LazyState<T>(IGrainStorage storage, GrainId grainId, string name) where T : class, new()
{
    private readonly StoredRecord<T> _record = new(storage, grainId, name);
    private Task? _loading;
    private T? _state;

    public bool IsLoaded => _state is not null;

    /// <summary>The state; the grain must have awaited <see cref="LoadAsync"/> in this activation.</summary>
    public T State => _state ?? throw new InvalidOperationException($"state '{name}' was used before it was read");

    /// <summary>Reads the state unless it has been read; a failed read is tried again on the next call.</summary>
    public Task LoadAsync()
    {
        if (_state is not null) return Task.CompletedTask;
        return _loading ??= ReadAsync();
    }

    private async Task ReadAsync()
    {
        try
        {
            _state = await _record.ReadAsync();
        }
        catch (Exception error)
        {
            _loading = null;
            throw CrmException.Unavailable($"storage did not answer reading '{name}' ({error.GetType().Name}); retry the request");
        }
    }

    /// <summary>
    /// Writes <paramref name="next"/>, served only once storage confirmed it. On failure the previous
    /// state is served again, the grain deactivates so its next call reads the truth (the write may
    /// have landed), and the caller gets UNAVAILABLE.
    /// </summary>
    public async Task WriteAsync(T next, IGrainBase grain)
    {
        var previous = State;
        _state = next;
        try
        {
            await _record.WriteAsync(next);
        }
        catch (Exception error)
        {
            _state = previous;
            grain.DeactivateOnIdle();
            throw CrmException.Unavailable($"storage did not confirm the write ({error.GetType().Name}); retry the request");
        }
    }
}
