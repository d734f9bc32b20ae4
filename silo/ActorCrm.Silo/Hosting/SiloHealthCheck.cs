using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace ActorCrm.Silo.Hosting;

/// <summary>One half of readiness: this silo is an active member of the cluster (the other is <see cref="StorageHealthCheck"/>).</summary>
public sealed class SiloHealthCheck(ISiloStatusOracle silo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(silo.CurrentStatus == SiloStatus.Active
            ? HealthCheckResult.Healthy("silo active")
            : HealthCheckResult.Unhealthy($"silo {silo.CurrentStatus}"));
}
