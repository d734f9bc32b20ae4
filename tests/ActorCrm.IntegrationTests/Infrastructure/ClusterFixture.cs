using ActorCrm.Grains;
using ActorCrm.Grains.Accounts.Profiles;
using ActorCrm.Grains.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Runtime.Hosting;
using Orleans.TestingHost;

namespace ActorCrm.IntegrationTests.Infrastructure;

/// <summary>One in-process Orleans cluster shared by the grain tests; each test uses its own keys.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public FaultyMemoryStorage Storage { get; } = new();

    /// <summary>The product clock (never the silo's own TimeProvider).</summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 27, 8, 0, 0, TimeSpan.Zero));

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddGrainStorage(StorageNames.Crm, (_, _) => Storage);
            silo.Services.AddGrainStorage(StorageNames.Large, (_, _) => Storage);
            silo.Services.AddGrainStorage(StorageNames.AccountProfiles, PartitionedProfileStorage.Create);
            silo.Services.AddKeyedSingleton<TimeProvider>(ProductClock.Key, Clock);
            silo.Services.Configure<ActivityOptions>(_ => { });
            // Checkpoints often, so tests see ledger records soon after a batch.
            silo.Services.Configure<RankingOptions>(o => o.LedgerCheckpointIntervalMs = 100);
            silo.Services.AddSingleton(typeof(GrainReadCache<>));
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}

public static class Ids
{
    /// <summary>A fresh id per test, so tests sharing a cluster never see each other's data.</summary>
    public static string New(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 64)];
}
