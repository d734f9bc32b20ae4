using System.Diagnostics;
using ActorCrm.Silo.Hosting;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;

/// <summary>
/// What one small record costs the storage service as the store fills up: rounds of 8,000 inserts
/// (one ~300-byte record per "account", Table entities in one table, blobs in one container) and
/// 2,000 point reads of records that do not exist (what a new grain's activation does), 32 in
/// flight over the silo's own HTTP transport. On Azurite this shows which service keeps its speed
/// as the book grows.
/// </summary>
internal static class RecordProbe
{
    private const int InsertsPerRound = 8_000;
    private const int ReadsPerRound = 2_000;
    private const int InFlight = 32;

    public static async Task RunAsync(IConfiguration config, int rounds)
    {
        var connection = StorageHosting.ConnectionString(config);
        var suffix = $"{DateTime.UtcNow:MMddHHmmss}";
        var transport = StorageHosting.Transport(config);
        var table = new TableServiceClient(connection, new TableClientOptions { Transport = transport }).GetTableClient($"probe{suffix}");
        await table.CreateIfNotExistsAsync();
        var container = new BlobServiceClient(connection, new BlobClientOptions { Transport = transport }).GetBlobContainerClient($"probe{suffix}");
        await container.CreateIfNotExistsAsync();
        var payload = new string('x', 300);
        var blobPayload = BinaryData.FromString(payload);

        Console.WriteLine("| records held | Table insert/s | Table read (missing)/s | Blob upload/s | Blob read (missing)/s |");
        Console.WriteLine("|---:|---:|---:|---:|---:|");
        for (var round = 0; round < rounds; round++)
        {
            var first = round * InsertsPerRound;
            var tableInserts = await RateAsync(InsertsPerRound, i => table.AddEntityAsync(new TableEntity($"a-{first + i:D8}", "profile") { ["Data"] = payload }));
            var blobInserts = await RateAsync(InsertsPerRound, i => container.GetBlobClient($"profile/a-{first + i:D8}.json").UploadAsync(blobPayload, overwrite: true));
            var tableReads = await RateAsync(ReadsPerRound, i => table.GetEntityIfExistsAsync<TableEntity>($"missing-{first + i:D8}", "profile"));
            var blobReads = await RateAsync(ReadsPerRound, async i =>
            {
                try { await container.GetBlobClient($"profile/missing-{first + i:D8}.json").DownloadContentAsync(); }
                catch (RequestFailedException e) when (e.Status == 404) { }
            });
            Console.WriteLine($"| {first + InsertsPerRound:N0} | {tableInserts:N0} | {tableReads:N0} | {blobInserts:N0} | {blobReads:N0} |");
        }
        await table.DeleteAsync();
        await container.DeleteAsync();
    }

    private static async Task<double> RateAsync<T>(int count, Func<int, Task<T>> request)
    {
        var next = -1;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, InFlight).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count) await request(i);
        }));
        return count / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private static Task<double> RateAsync(int count, Func<int, Task> request) =>
        RateAsync(count, async i => { await request(i); return 0; });
}
