using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace ActorCrm.Silo.Hosting;

/// <summary>Ready once this silo is an active member of the cluster.</summary>
public sealed class SiloHealthCheck(ISiloStatusOracle silo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(silo.CurrentStatus == SiloStatus.Active
            ? HealthCheckResult.Healthy("silo active")
            : HealthCheckResult.Unhealthy($"silo {silo.CurrentStatus}"));
}
