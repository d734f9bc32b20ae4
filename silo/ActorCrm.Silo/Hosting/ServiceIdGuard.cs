using Azure;
using Azure.Data.Tables;

namespace ActorCrm.Silo.Hosting;

/// <summary>
/// Azure storage keys include the Orleans ServiceId: a silo started with another ServiceId would
/// find none of the stored state. Before the silo starts, this checks the ServiceId recorded in the
/// store (table {Namespace}Deployment) and refuses to start on a mismatch unless
/// Storage:AllowServiceIdChange=true. It also fails fast, with a hint, when storage does not answer.
/// </summary>
public sealed class ServiceIdGuard(IConfiguration config, ILogger<ServiceIdGuard> logger) : IHostedService
{
    private const string Partition = "deployment";
    private const string Row = "service";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if ((config["Storage:Provider"] ?? StorageHosting.AzureStorage) != StorageHosting.AzureStorage) return;
        var serviceId = config["Orleans:ServiceId"] ?? "actorcrm";
        var table = new TableClient(StorageHosting.ConnectionString(config), $"{StorageHosting.Namespace(config)}Deployment",
            StorageHosting.Retrying(new TableClientOptions(), StorageHosting.Timeout(config)));
        NullableResponse<TableEntity> recorded;
        try
        {
            await table.CreateIfNotExistsAsync(cancellationToken);
            recorded = await table.GetEntityIfExistsAsync<TableEntity>(Partition, Row, cancellationToken: cancellationToken);
        }
        catch (Exception error) when (error is RequestFailedException or AggregateException or HttpRequestException or TaskCanceledException)
        {
            throw new InvalidOperationException(
                "Azure Storage does not answer (Storage:ConnectionString). Start the emulator with tools/azurite/azurite.sh start, " +
                "or run with --Storage:Provider=Memory for a volatile silo.", error);
        }

        if (!recorded.HasValue)
        {
            await table.UpsertEntityAsync(new TableEntity(Partition, Row) { ["ServiceId"] = serviceId }, cancellationToken: cancellationToken);
            return;
        }
        var stored = recorded.Value!.GetString("ServiceId");
        if (stored == serviceId) return;
        if (!config.GetValue("Storage:AllowServiceIdChange", false))
            throw new InvalidOperationException(
                $"The store holds the state of ServiceId '{stored}' but this silo runs as '{serviceId}': every account, contact and " +
                $"ledger would be unreachable. Start with --Orleans:ServiceId={stored}, or once with --Storage:AllowServiceIdChange=true " +
                "to adopt the new id (the old state stays in storage, unreachable).");
        logger.LogWarning("Storage ServiceId changed from {OldServiceId} to {ServiceId} as allowed by Storage:AllowServiceIdChange", stored, serviceId);
        await table.UpsertEntityAsync(new TableEntity(Partition, Row) { ["ServiceId"] = serviceId }, cancellationToken: cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
