using System.Net;
using ActorCrm.Grains;
using ActorCrm.Grains.Accounts.Profiles;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;

namespace ActorCrm.Silo.Hosting;

/// <summary>
/// Storage and clustering, chosen by configuration:
///   Storage:Provider = AzureStorage (default) | Memory; Storage:ConnectionString (UseDevelopmentStorage=true);
///   Storage:TimeoutSeconds (5): how long one storage request may take before the caller gets UNAVAILABLE;
///   Storage:Namespace (ActorCrm): prefix of the tables and containers, so several deployments (or tests) share one account;
///   Storage:MaxConnections (32): HTTP connections per storage endpoint; requests beyond them queue in the silo;
///   Storage:SmallRecords = Table (default) | Blob: where contact, activity and the account's other states go
///     (account profiles are group-committed into the profile partitions on Blob storage). Table is far
///     cheaper per request on Azure; Blob keeps its speed on Azurite, whose Table service slows with every
///     entity it holds (docs/benchmarks.md, "Azurite's two services");
///   Clustering:Provider = Localhost (default, one silo) | AzureStorage (Azure Table membership, N silos);
///   Orleans:Endpoints:AdvertisedIPAddress (127.0.0.1).
/// </summary>
public static class StorageHosting
{
    public const string AzureStorage = "AzureStorage";

    public static string ConnectionString(IConfiguration config) => config["Storage:ConnectionString"] ?? "UseDevelopmentStorage=true";

    public static string Namespace(IConfiguration config) => config["Storage:Namespace"] ?? "ActorCrm";

    public static TimeSpan Timeout(IConfiguration config) => TimeSpan.FromSeconds(config.GetValue("Storage:TimeoutSeconds", 5));

    public static bool SmallRecordsInBlobs(IConfiguration config) => (config["Storage:SmallRecords"] ?? "Table") switch
    {
        "Table" => false,
        "Blob" => true,
        var other => throw new InvalidOperationException($"Storage:SmallRecords '{other}' is not supported; use Table or Blob"),
    };

    public static void AddStorage(ISiloBuilder silo, IConfiguration config)
    {
        var provider = config["Storage:Provider"] ?? AzureStorage;
        switch (provider)
        {
            case "Memory":
                // Volatile, for quick tries, tests and benchmarks: records live in this silo (see InProcessGrainStorage).
                if ((config["Clustering:Provider"] ?? "Localhost") != "Localhost")
                    throw new InvalidOperationException("Storage:Provider=Memory keeps state inside one silo; a cluster of several silos needs Storage:Provider=AzureStorage");
                silo.Services.AddGrainStorage(StorageNames.Crm, InProcessGrainStorage.Create);
                silo.Services.AddGrainStorage(StorageNames.Large, InProcessGrainStorage.Create);
                // A write here costs no request, so the profile partitions' group commit would only add a grain hop.
                silo.Services.AddGrainStorage(StorageNames.AccountProfiles, InProcessGrainStorage.Create);
                break;
            case AzureStorage:
                var connection = ConnectionString(config);
                var timeout = Timeout(config);
                var ns = Namespace(config);
                var transport = Transport(config);
                // Small records in Table storage (or Blob, Storage:SmallRecords), large ones (directory
                // partitions, ledgers, the rankings) in Blob storage. Both use the Orleans serializer: types are stored under
                // their [Alias] and fields under their [Id], so renaming or moving a C# class does not
                // orphan stored state (the provider default, JSON with $type names, would).
                if (SmallRecordsInBlobs(config))
                    silo.AddAzureBlobGrainStorage(StorageNames.Crm, options => options.Configure<Serializer>((o, serializer) =>
                    {
                        o.BlobServiceClient = new BlobServiceClient(connection, Retrying(new BlobClientOptions { Transport = transport }, timeout));
                        o.ContainerName = $"{ns.ToLowerInvariant()}-records";
                        o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
                    }));
                else
                    silo.AddAzureTableGrainStorage(StorageNames.Crm, options => options.Configure<Serializer>((o, serializer) =>
                    {
                        o.TableServiceClient = new TableServiceClient(connection, Retrying(new TableClientOptions { Transport = transport }, timeout));
                        o.TableName = $"{ns}State";
                        o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
                    }));
                silo.AddAzureBlobGrainStorage(StorageNames.Large, options => options.Configure<Serializer>((o, serializer) =>
                {
                    o.BlobServiceClient = new BlobServiceClient(connection, Retrying(new BlobClientOptions { Transport = transport }, timeout));
                    o.ContainerName = $"{ns.ToLowerInvariant()}-state";
                    o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
                }));
                // Account profiles are group-committed into the profile partitions, which store them on crm-large.
                silo.Services.AddGrainStorage(StorageNames.AccountProfiles, PartitionedProfileStorage.Create);
                break;
            default:
                throw new InvalidOperationException($"Storage:Provider '{provider}' is not supported; use AzureStorage or Memory");
        }
    }

    public static void AddClustering(ISiloBuilder silo, IConfiguration config)
    {
        var siloPort = config.GetValue("Orleans:Endpoints:SiloPort", 11111);
        var gatewayPort = config.GetValue("Orleans:Endpoints:GatewayPort", 30000);
        var serviceId = config["Orleans:ServiceId"] ?? "actorcrm";
        var clusterId = config["Orleans:ClusterId"] ?? "actorcrm-dev";
        var provider = config["Clustering:Provider"] ?? "Localhost";
        switch (provider)
        {
            case "Localhost":
                silo.UseLocalhostClustering(siloPort, gatewayPort, null, serviceId, clusterId);
                break;
            case AzureStorage:
                var connection = ConnectionString(config);
                silo.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = clusterId;
                    o.ServiceId = serviceId;
                });
                silo.ConfigureEndpoints(
                    IPAddress.Parse(config["Orleans:Endpoints:AdvertisedIPAddress"] ?? "127.0.0.1"), siloPort, gatewayPort,
                    listenOnAnyHostAddress: false);
                silo.UseAzureStorageClustering(o => o.TableServiceClient = new TableServiceClient(connection));
                // Failure-detection timing (ProbeTimeout, NumMissedProbesLimit, …) can be tuned as Orleans:Membership:*.
                silo.Configure<ClusterMembershipOptions>(config.GetSection("Orleans:Membership"));
                break;
            default:
                throw new InvalidOperationException($"Clustering:Provider '{provider}' is not supported; use Localhost or AzureStorage");
        }
    }

    /// <summary>
    /// One HTTP client for all storage requests, with a bounded pool per endpoint. Unbounded, a burst
    /// of grain activations opens a connection per request in flight (thousands), and an emulator or
    /// account answering one at a time spends its time accepting and closing sockets instead.
    /// </summary>
    public static HttpClientTransport Transport(IConfiguration config) => new(new HttpClient(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = config.GetValue("Storage:MaxConnections", 32),
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
    })
    { Timeout = System.Threading.Timeout.InfiniteTimeSpan }); // the per-try NetworkTimeout (Retrying) bounds each request

    /// <summary>Few, short retries: a storage outage must reach the caller as UNAVAILABLE within its deadline, not hang.</summary>
    public static T Retrying<T>(T options, TimeSpan timeout) where T : ClientOptions
    {
        options.Retry.MaxRetries = 2;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(1);
        options.Retry.NetworkTimeout = timeout;
        return options;
    }
}
