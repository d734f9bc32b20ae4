using System.Net;
using System.Net.Sockets;
using ActorCrm.Api;
using ActorCrm.Api.V1;
using Grpc.Net.Client;
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

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Orleans:Endpoints:SiloPort", FreePort().ToString());
        builder.UseSetting("Orleans:Endpoints:GatewayPort", FreePort().ToString());
        builder.UseSetting("Orleans:ClusterId", $"test-{Guid.NewGuid():N}");
        builder.UseSetting("Demo:Seed", "false");
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
    }

    private GrpcChannel? _channel;

    public GrpcChannel Channel => _channel ??= ActorCrmChannel.Create(Server.BaseAddress.ToString(), Server.CreateHandler());

    public AccountService.AccountServiceClient Accounts => new(Channel);

    public ContactService.ContactServiceClient Contacts => new(Channel);

    public OpportunityService.OpportunityServiceClient Opportunities => new(Channel);

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
