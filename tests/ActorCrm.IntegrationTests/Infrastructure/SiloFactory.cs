using System.Net;
using System.Net.Sockets;
using ActorCrm.Api;
using ActorCrm.Api.V1;
using ActorCrm.Grains.Infrastructure;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ActorCrm.IntegrationTests.Infrastructure;

/// <summary>
/// The real silo host (Program) in process, gRPC served through the in-memory test server. Orleans
/// still binds silo and gateway ports, so each factory takes free ones.
/// </summary>
public class SiloFactory : WebApplicationFactory<Program>
{
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    /// <summary>Whether the silo trusts <see cref="TestKeys"/> (a test of the auth configuration itself turns it off).</summary>
    protected virtual bool TrustsTestKeys => true;

    /// <summary>The product clock of this silo (the silo's own TimeProvider stays the system's).</summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 27, 8, 0, 0, TimeSpan.Zero));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Orleans:Endpoints:SiloPort", FreePort().ToString());
        builder.UseSetting("Orleans:Endpoints:GatewayPort", FreePort().ToString());
        builder.UseSetting("Orleans:ClusterId", $"test-{Guid.NewGuid():N}");
        builder.UseSetting("Demo:Seed", "false");
        builder.UseSetting("Storage:Provider", "Memory");
        builder.UseSetting("Ranking:FlushIntervalMs", "50");
        if (TrustsTestKeys) foreach (var (key, value) in TestKeys.Settings) builder.UseSetting(key, value);
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
        builder.ConfigureServices(services => services.AddKeyedSingleton<TimeProvider>(ProductClock.Key, Clock));
    }

    private GrpcChannel? _channel;

    /// <summary>A channel calling as the test admin.</summary>
    public GrpcChannel Channel => _channel ??= ChannelAs(TestKeys.AdminCredentials);

    /// <summary>A new channel calling with these credentials (null: none); the caller disposes it.</summary>
    public GrpcChannel ChannelAs(ActorCrmCredentials? credentials) =>
        ActorCrmChannel.Create(Server.BaseAddress.ToString(), Server.CreateHandler(), credentials);

    /// <summary>HTTP clients (health, /metrics) call as the test admin.</summary>
    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Add(ActorCrmCredentials.ApiKeyHeader, TestKeys.Admin);
    }

    public AccountService.AccountServiceClient Accounts => new(Channel);

    public ContactService.ContactServiceClient Contacts => new(Channel);

    public OpportunityService.OpportunityServiceClient Opportunities => new(Channel);

    public RevenueService.RevenueServiceClient Revenue => new(Channel);

    public RankingService.RankingServiceClient Ranking => new(Channel);

    public override async ValueTask DisposeAsync()
    {
        _channel?.Dispose();
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class SiloCollection : ICollectionFixture<SiloFactory>
{
    public const string Name = "silo";
}
