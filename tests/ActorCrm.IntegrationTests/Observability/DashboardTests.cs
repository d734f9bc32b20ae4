using System.Net;
using ActorCrm.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.TestHost;

namespace ActorCrm.IntegrationTests.Observability;

public sealed class DashboardSiloFactory : SiloFactory
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Dashboard:Enabled"] = "true" };
}

/// <summary>When enabled, the dashboard answers local callers only (no access control exists yet).</summary>
public class DashboardTests(DashboardSiloFactory silo) : IClassFixture<DashboardSiloFactory>
{
    [Fact]
    public async Task An_enabled_dashboard_answers_loopback_callers_only()
    {
        Assert.Equal((int)HttpStatusCode.OK, (await GetAsync(IPAddress.Loopback)).Response.StatusCode);
        Assert.Equal((int)HttpStatusCode.NotFound, (await GetAsync(IPAddress.Parse("10.1.2.3"))).Response.StatusCode);
        Assert.Equal((int)HttpStatusCode.NotFound, (await GetAsync(null)).Response.StatusCode);
    }

    private Task<Microsoft.AspNetCore.Http.HttpContext> GetAsync(IPAddress? remote) =>
        silo.Server.SendAsync(http =>
        {
            http.Request.Method = "GET";
            http.Request.Path = "/dashboard/";
            http.Connection.RemoteIpAddress = remote;
        });
}
