using ActorCrm.Domain.Errors;

namespace ActorCrm.Grains.Infrastructure;

internal static class StateWrites
{
    /// <summary>
    /// Copy-and-swap write: <paramref name="next"/> is served only once storage has confirmed it.
    /// On failure the previous state is served again, the grain is deactivated so its next call
    /// re-reads the truth from storage (the write may or may not have landed), and the caller gets
    /// UNAVAILABLE.
    /// </summary>
    public static async Task WriteAsync<T>(this IPersistentState<T> state, T next, IGrainBase grain)
    {
        var previous = state.State;
        state.State = next;
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception error)
        {
            state.State = previous;
            grain.DeactivateOnIdle();
            throw CrmException.Unavailable($"storage did not confirm the write ({error.GetType().Name}); retry the request");
        }
    }
}
