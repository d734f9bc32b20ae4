using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace ActorCrm.Grains.Accounts.Profiles;

/// <summary>
/// The grain storage behind <see cref="StorageNames.AccountProfiles"/>: an account's profile is
/// stored in its profile partition (<see cref="IProfilePartitionGrain"/>, chosen like its directory
/// partition), serialized with the Orleans serializer, with the version as ETag. One storage request
/// per account was the ceiling of a bulk load on a slow store (Azurite's single thread topped out
/// near 300 creates/s); the partitions write many profiles per request.
/// </summary>
public sealed class PartitionedProfileStorage(IGrainFactory grains, Serializer serializer, IServiceProvider services) : IGrainStorage
{
    public static IGrainStorage Create(IServiceProvider services, string name) =>
        new PartitionedProfileStorage(services.GetRequiredService<IGrainFactory>(), services.GetRequiredService<Serializer>(), services);

    /// <summary>Where profiles were stored, one record per account, before the partitions held them.</summary>
    private IGrainStorage EarlierStore => services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Crm);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var read = await PartitionOf(grainId).ReadAsync(KeyOf(stateName, grainId));
        var record = read.Record;
        if (record.Version == 0 && read.CheckEarlierStore)
        {
            // Stored before the partitions: served from its own record until its next write moves it here.
            await EarlierStore.ReadStateAsync(stateName, grainId, grainState);
            grainState.ETag = null;
            return;
        }
        if (record.Data is { } data) grainState.State = serializer.Deserialize<T>(data);
        grainState.ETag = ETagOf(record.Version);
        grainState.RecordExists = record.Data is not null;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        StoreAsync(stateName, grainId, grainState, serializer.SerializeToArray(grainState.State));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        StoreAsync(stateName, grainId, grainState, data: null);

    private async Task StoreAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, byte[]? data)
    {
        var expected = grainState.ETag is { } etag ? long.Parse(etag, CultureInfo.InvariantCulture) : 0;
        var version = await PartitionOf(grainId).WriteAsync(KeyOf(stateName, grainId), expected, data)
            ?? throw new InconsistentStateException($"the {stateName} of {grainId} changed since it was read", "(newer)", grainState.ETag ?? "(none)");
        grainState.ETag = ETagOf(version);
        grainState.RecordExists = data is not null;
    }

    private IProfilePartitionGrain PartitionOf(GrainId grainId) =>
        grains.GetGrain<IProfilePartitionGrain>(AccountDirectory.PartitionOf(grainId.Key.ToString()!));

    private static string KeyOf(string stateName, GrainId grainId) => $"{grainId.Key}/{stateName}";

    private static string? ETagOf(long version) => version == 0 ? null : version.ToString(CultureInfo.InvariantCulture);
}
