using System.Net;
using ActorCrm.Api;
using ActorCrm.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.TestHost;

namespace ActorCrm.IntegrationTests.Observability;

public sealed class DashboardSiloFactory : SiloFactory
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Dashboard:Enabled"] = "true" };
}

public sealed class LoopbackOperatorSiloFactory : SiloFactory
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Dashboard:Enabled"] = "true",
        ["Auth:OperatorEndpointsOpenOnLoopback"] = "true",
    };
}

/// <summary>The operator endpoints (the Orleans dashboard, /metrics) answer admins; loopback callers only when configured so.</summary>
public class DashboardTests(DashboardSiloFactory silo) : IClassFixture<DashboardSiloFactory>
{
    [Theory]
    [InlineData("/dashboard/")]
    [InlineData("/metrics")]
    public async Task Operator_endpoints_need_an_admin(string path)
    {
        Assert.Equal((int)HttpStatusCode.OK, (await GetAsync(silo, path, IPAddress.Loopback, TestKeys.Admin)).Response.StatusCode);
        Assert.Equal((int)HttpStatusCode.Unauthorized, (await GetAsync(silo, path, IPAddress.Loopback, null)).Response.StatusCode);
        Assert.Equal((int)HttpStatusCode.Unauthorized, (await GetAsync(silo, path, IPAddress.Loopback, "not-a-key")).Response.StatusCode);
        Assert.Equal((int)HttpStatusCode.Forbidden, (await GetAsync(silo, path, IPAddress.Loopback, TestKeys.Director)).Response.StatusCode);
    }

    internal static Task<Microsoft.AspNetCore.Http.HttpContext> GetAsync(SiloFactory silo, string path, IPAddress? remote, string? apiKey) =>
        silo.Server.SendAsync(http =>
        {
            http.Request.Method = "GET";
            http.Request.Path = path;
            http.Connection.RemoteIpAddress = remote;
            if (apiKey is not null) http.Request.Headers[ActorCrmCredentials.ApiKeyHeader] = apiKey;
        });
}

public class LoopbackOperatorTests(LoopbackOperatorSiloFactory silo) : IClassFixture<LoopbackOperatorSiloFactory>
{
    [Fact]
    public async Task Opened_to_loopback_the_dashboard_answers_local_callers_without_credentials_only()
    {
        Assert.Equal((int)HttpStatusCode.OK, (await DashboardTests.GetAsync(silo, "/dashboard/", IPAddress.Loopback, null)).Response.StatusCode);
        Assert.Equal((int)HttpStatusCode.Unauthorized, (await DashboardTests.GetAsync(silo, "/dashboard/", IPAddress.Parse("10.1.2.3"), null)).Response.StatusCode);
        Assert.Equal((int)HttpStatusCode.OK, (await DashboardTests.GetAsync(silo, "/dashboard/", IPAddress.Parse("10.1.2.3"), TestKeys.Admin)).Response.StatusCode);
    }
}
