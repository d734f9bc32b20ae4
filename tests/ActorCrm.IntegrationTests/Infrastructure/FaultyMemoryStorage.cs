using System.Collections.Concurrent;
using Orleans.Runtime;
using Orleans.Storage;

namespace ActorCrm.IntegrationTests.Infrastructure;

/// <summary>
/// In-memory grain storage whose writes can be made to fail for one grain, to prove that a failed
/// write answers UNAVAILABLE and leaves the served state unchanged.
/// </summary>
public sealed class FaultyMemoryStorage : IGrainStorage
{
    private readonly ConcurrentDictionary<(string State, GrainId Grain), (object Value, string ETag)> _store = new();
    private readonly ConcurrentDictionary<string, bool> _failingKeys = new();

    /// <summary>Writes for grains whose key contains this text fail until <see cref="Heal"/>.</summary>
    public void FailWritesFor(string keyFragment) => _failingKeys[keyFragment] = true;

    public void Heal(string keyFragment) => _failingKeys.TryRemove(keyFragment, out _);

    /// <summary>Writes of records whose state name starts with this prefix (e.g. "dir-") fail until <see cref="HealStates"/>.</summary>
    public void FailWritesOfStates(string stateNamePrefix) => _failingStates[stateNamePrefix] = true;

    public void HealStates(string stateNamePrefix)
    {
        _failingStates.TryRemove(stateNamePrefix, out _);
        _failingReads.TryRemove(stateNamePrefix, out _);
    }

    /// <summary>Reads of records whose state name starts with this prefix fail until <see cref="HealStates"/>.</summary>
    public void FailReadsOfStates(string stateNamePrefix) => _failingReads[stateNamePrefix] = true;

    private readonly ConcurrentDictionary<string, bool> _failingReads = new();

    private readonly ConcurrentDictionary<string, bool> _failingStates = new();

    /// <summary>The names of the records stored for a grain.</summary>
    public IReadOnlyList<string> StateNamesOf(GrainId grainId) =>
        _store.Keys.Where(k => k.Grain == grainId).Select(k => k.State).Order(StringComparer.Ordinal).ToArray();

    public int Writes;

    private readonly ConcurrentDictionary<(string State, GrainId Grain), int> _reads = new();

    /// <summary>How many times a grain's record was read (found or not).</summary>
    public int ReadsOf(string stateName, GrainId grainId) => _reads.GetValueOrDefault((stateName, grainId));

    /// <summary>Stores a record as if a grain had written it (e.g. in a layout an older version used).</summary>
    public void Seed<T>(string stateName, GrainId grainId, T value) where T : notnull =>
        _store[(stateName, grainId)] = (value, Guid.NewGuid().ToString("N"));

    public T? Peek<T>(string stateName, GrainId grainId) =>
        _store.TryGetValue((stateName, grainId), out var entry) ? (T)entry.Value : default;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_failingReads.Keys.Any(prefix => stateName.StartsWith(prefix, StringComparison.Ordinal)))
            throw new IOException($"injected storage read failure for {stateName} of {grainId}");
        _reads.AddOrUpdate((stateName, grainId), 1, (_, n) => n + 1);
        if (_store.TryGetValue((stateName, grainId), out var entry))
        {
            grainState.State = (T)entry.Value;
            grainState.ETag = entry.ETag;
            grainState.RecordExists = true;
        }
        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = grainId.Key.ToString() ?? "";
        if (_failingKeys.Keys.Any(fragment => key.Contains(fragment, StringComparison.Ordinal))
            || _failingStates.Keys.Any(prefix => stateName.StartsWith(prefix, StringComparison.Ordinal)))
            throw new IOException($"injected storage failure for {grainId}");
        var etag = Guid.NewGuid().ToString("N");
        _store[(stateName, grainId)] = (grainState.State!, etag);
        grainState.ETag = etag;
        grainState.RecordExists = true;
        Interlocked.Increment(ref Writes);
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        _store.TryRemove((stateName, grainId), out _);
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }
}
