using System.Net;
using ActorCrm.IntegrationTests.Infrastructure;
using Grpc.Core;
using Grpc.Health.V1;

namespace ActorCrm.IntegrationTests.Observability;

/// <summary>Readiness follows storage: a frozen Azurite makes the silo unready (HTTP and gRPC health), a resumed one ready again.</summary>
public class ReadinessTests
{
    private sealed class StorageSiloFactory(string connectionString) : SiloFactory
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["Storage:Provider"] = "AzureStorage",
            ["Storage:ConnectionString"] = connectionString,
            ["Storage:Namespace"] = Azurite.NewNamespace(),
        };
    }

    [Fact]
    public async Task Ready_turns_unhealthy_while_storage_is_unreachable_and_healthy_again_when_it_returns()
    {
        await using var azurite = await PrivateAzurite.StartAsync();
        await using var silo = new StorageSiloFactory(azurite.ConnectionString);
        using var http = silo.CreateClient();
        var health = new Health.HealthClient(silo.Channel);

        await WaitForAsync(http, health, ready: true);

        azurite.Pause();
        try
        {
            await WaitForAsync(http, health, ready: false);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode); // alive all along
        }
        finally
        {
            azurite.Resume();
        }

        await WaitForAsync(http, health, ready: true);
    }

    private static async Task WaitForAsync(HttpClient http, Health.HealthClient health, bool ready)
    {
        var expectedHttp = ready ? HttpStatusCode.OK : HttpStatusCode.ServiceUnavailable;
        var expectedGrpc = ready ? HealthCheckResponse.Types.ServingStatus.Serving : HealthCheckResponse.Types.ServingStatus.NotServing;
        HttpStatusCode seenHttp = default;
        HealthCheckResponse.Types.ServingStatus seenGrpc = default;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            seenHttp = (await http.GetAsync("/health/ready")).StatusCode;
            seenGrpc = (await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(10))).Status;
            if (seenHttp == expectedHttp && seenGrpc == expectedGrpc) return;
            await Task.Delay(250);
        }
        Assert.Fail($"readiness did not become {(ready ? "ready" : "unready")}: /health/ready {seenHttp}, grpc.health.v1 {seenGrpc}");
    }
}
