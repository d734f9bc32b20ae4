using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ActorCrm.Silo.Hosting;

/// <summary>
/// Ready only while grain storage answers: on Azure Storage, one cheap read of the table service and
/// one of the blob service, without retries and with a short deadline, so a frozen or unreachable
/// store turns the silo unready within seconds. Memory storage always answers.
/// </summary>
public sealed class StorageHealthCheck : IHealthCheck
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    private readonly TableClient? _table;
    private readonly BlobContainerClient? _blobs;

    public StorageHealthCheck(IConfiguration config)
    {
        if ((config["Storage:Provider"] ?? StorageHosting.AzureStorage) != StorageHosting.AzureStorage) return;
        var connection = StorageHosting.ConnectionString(config);
        var ns = StorageHosting.Namespace(config);
        _table = new TableClient(connection, $"{ns}Deployment", WithoutRetries(new TableClientOptions()));
        _blobs = new BlobContainerClient(connection, $"{ns.ToLowerInvariant()}-state", WithoutRetries(new BlobClientOptions()));
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_table is null || _blobs is null) return HealthCheckResult.Healthy("memory storage");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(ProbeTimeout);
        try
        {
            await Task.WhenAll(
                _table.GetEntityIfExistsAsync<TableEntity>("health", "probe", select: ["PartitionKey"], cancellationToken: deadline.Token),
                _blobs.ExistsAsync(deadline.Token));
            return HealthCheckResult.Healthy("storage answers");
        }
        catch (RequestFailedException error) when (error.Status == 404)
        {
            return HealthCheckResult.Healthy("storage answers (not yet created)");
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"storage did not answer within {ProbeTimeout.TotalSeconds:0} s", error);
        }
    }

    private static T WithoutRetries<T>(T options) where T : Azure.Core.ClientOptions
    {
        options.Retry.MaxRetries = 0;
        options.Retry.NetworkTimeout = ProbeTimeout;
        return options;
    }
}
