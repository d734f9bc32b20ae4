using ActorCrm.Grains.Directory;
using ActorCrm.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace ActorCrm.IntegrationTests.Durability;

/// <summary>The store behind Storage:Provider=Memory keeps the contract of the durable providers.</summary>
public class InProcessGrainStorageTests
{
    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
    private static readonly GrainId Grain = GrainId.Create("test", "store");


    [Fact]
    public async Task Records_round_trip_as_copies_and_writes_must_name_the_ETag_they_read()
    {
        var store = new InProcessGrainStorage("crm", Serializer);
        var written = new GrainState<DirectoryHead>(new DirectoryHead { Generation = 4 });
        await store.WriteStateAsync("head", Grain, written);
        Assert.True(written.RecordExists);
        written.State!.Generation = 99; // the grain's object is not the stored one

        var read = new GrainState<DirectoryHead>(new DirectoryHead());
        await store.ReadStateAsync("head", Grain, read);
        Assert.Equal(4, read.State!.Generation);
        Assert.Equal(written.ETag, read.ETag);

        // A writer that has not read the record (no ETag), or read an older version, is refused and changes nothing.
        await Assert.ThrowsAsync<InconsistentStateException>(() => store.WriteStateAsync("head", Grain, new GrainState<DirectoryHead>(new DirectoryHead { Generation = 5 })));
        await store.WriteStateAsync("head", Grain, read);
        var stale = new GrainState<DirectoryHead>(new DirectoryHead { Generation = 6 }) { ETag = written.ETag, RecordExists = true };
        await Assert.ThrowsAsync<InconsistentStateException>(() => store.WriteStateAsync("head", Grain, stale));
        await Assert.ThrowsAsync<InconsistentStateException>(() => store.ClearStateAsync("head", Grain, stale));

        await store.ClearStateAsync("head", Grain, read);
        var gone = new GrainState<DirectoryHead>(new DirectoryHead());
        await store.ReadStateAsync("head", Grain, gone);
        Assert.False(gone.RecordExists);
        Assert.Null(gone.ETag);
    }
}
