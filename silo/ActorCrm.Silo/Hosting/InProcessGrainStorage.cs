using System.Collections.Concurrent;
using Orleans.Serialization;
using Orleans.Storage;

namespace ActorCrm.Silo.Hosting;

/// <summary>
/// The volatile store behind Storage:Provider=Memory: records live in the silo's memory, serialized
/// with the Orleans serializer (so a grain never shares an object with the store, and sizes are
/// those a durable store would see), with the same ETag checks as the durable providers. One silo
/// only: a cluster of several silos needs durable storage (see StorageHosting).
/// </summary>
/// <remarks>
/// Orleans' own memory provider sends every read and write as a call to a storage grain, through a
/// generic grain method that is resolved by reflection on each call, which made it a large share
/// of what a create cost in a profiled load; it too serves only the silos of one process (it places
/// records by string.GetHashCode, which differs between processes).
/// </remarks>
public sealed class InProcessGrainStorage(string name, Serializer serializer) : IGrainStorage
{
    private static long _lastETag;

    // Many lock stripes and room to start with: the default (one stripe per core, 31 buckets) made
    // writers queue behind each other and behind every resize while a large book loads.
    private readonly ConcurrentDictionary<(string State, GrainId Grain), Entry> _records = new(concurrencyLevel: 64, capacity: 1 << 16);

    public static IGrainStorage Create(IServiceProvider services, string name) => new InProcessGrainStorage(name, services.GetRequiredService<Serializer>());

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_records.TryGetValue((stateName, grainId), out var entry))
        {
            grainState.State = serializer.Deserialize<T>(entry.Data);
            grainState.ETag = entry.ETag;
            grainState.RecordExists = true;
        }
        else
        {
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = (stateName, grainId);
        var next = new Entry(serializer.SerializeToArray(grainState.State), NewETag());
        while (true)
        {
            if (_records.TryGetValue(key, out var stored))
            {
                CheckETag(stateName, grainId, stored.ETag, grainState.ETag);
                if (!_records.TryUpdate(key, next, stored)) continue; // a concurrent writer won: check again
            }
            else
            {
                CheckETag(stateName, grainId, null, grainState.ETag);
                if (!_records.TryAdd(key, next)) continue;
            }
            grainState.ETag = next.ETag;
            grainState.RecordExists = true;
            return Task.CompletedTask;
        }
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = (stateName, grainId);
        while (_records.TryGetValue(key, out var stored))
        {
            CheckETag(stateName, grainId, stored.ETag, grainState.ETag);
            if (_records.TryRemove(new KeyValuePair<(string, GrainId), Entry>(key, stored))) break;
        }
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    /// <summary>A write must name the ETag it read (none for a record that does not exist), as with the durable stores.</summary>
    private void CheckETag(string stateName, GrainId grainId, string? storedETag, string? expectedETag)
    {
        if (storedETag != expectedETag)
            throw new InconsistentStateException(
                $"{name}: record {stateName} of {grainId} has ETag '{storedETag ?? "(none)"}', the write expected '{expectedETag ?? "(none)"}'",
                storedETag ?? "", expectedETag ?? "");
    }

    private static string NewETag() => Interlocked.Increment(ref _lastETag).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private sealed record Entry(byte[] Data, string ETag);
}
