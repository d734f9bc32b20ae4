// Saves and loads ranking books of growing size through the silo's own storage configuration
// (Azure Blob storage on Azurite unless told otherwise) and prints a Markdown table for
// docs/benchmarks.md. Usage:
//   dotnet run -c Release --project bench/ActorCrm.Storage.Benchmarks -- [accounts …] [--Storage:ConnectionString=…]
// With "records" first it instead times single small records (one per account, as grain states
// are stored) in Table and in Blob storage as the store fills up, 32 requests in flight:
//   dotnet run -c Release --project bench/ActorCrm.Storage.Benchmarks -- records [rounds] [--Storage:ConnectionString=…]
using System.Diagnostics;
using ActorCrm.Domain.Revenue;
using ActorCrm.Grains;
using ActorCrm.Grains.Ranking;
using ActorCrm.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

var positional = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
if (positional is ["records", ..])
{
    var config = new ConfigurationBuilder().AddCommandLine(args.Where(a => a.StartsWith("--", StringComparison.Ordinal)).ToArray()).Build();
    await RecordProbe.RunAsync(config, positional.Length > 1 ? int.Parse(positional[1]) : 5);
    return;
}
var sizes = positional.Select(int.Parse).DefaultIfEmpty().ToArray();
if (sizes is [0]) sizes = [10_000, 100_000, 1_000_000];

var builder = Host.CreateApplicationBuilder(args.Where(a => a.StartsWith("--", StringComparison.Ordinal)).ToArray());
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Storage:Namespace"] = $"bench{DateTime.UtcNow:MMddHHmmss}",
    ["Storage:TimeoutSeconds"] = "60",
    ["Orleans:Endpoints:SiloPort"] = "11911",
    ["Orleans:Endpoints:GatewayPort"] = "30911",
});
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.UseOrleans(silo =>
{
    StorageHosting.AddClustering(silo, builder.Configuration);
    StorageHosting.AddStorage(silo, builder.Configuration);
});
using var host = builder.Build();
await host.StartAsync();
var storage = host.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Large);

Console.WriteLine($"| accounts | full save (all {RankingStore.ChunkCount} chunks) | MB/s | save after 100 accounts changed | load |");
Console.WriteLine("|---:|---:|---:|---:|---:|");
var random = new Random(42);
foreach (var accounts in sizes)
{
    var grain = GrainId.Create("ranking", $"bench-{accounts}");
    var store = new RankingStore(storage, grain);
    await store.LoadAsync();
    var entries = Enumerable.Range(0, accounts).Select(i => ($"acct-{i:D7}", NewEntry(random))).ToArray();
    foreach (var (id, entry) in entries) store.Changed(id, entry);

    var full = await store.SaveAsync();
    var bytes = await StoredBytesAsync(builder.Configuration, grain);

    foreach (var (id, entry) in entries.OrderBy(_ => random.Next()).Take(100))
    {
        entry.LedgerVersion++;
        store.Changed(id, entry);
    }
    var sparse = await store.SaveAsync();

    var started = Stopwatch.GetTimestamp();
    var loaded = await new RankingStore(storage, grain).LoadAsync();
    var load = Stopwatch.GetElapsedTime(started);
    if (loaded.Count != accounts) throw new InvalidOperationException($"loaded {loaded.Count} of {accounts} entries");

    Console.WriteLine($"| {accounts:N0} | {full.Elapsed.TotalMilliseconds:N0} ms ({bytes / 1e6:N1} MB) | {bytes / 1e6 / full.Elapsed.TotalSeconds:N1} | {sparse.Elapsed.TotalMilliseconds:N0} ms ({sparse.Chunks} chunks) | {load.TotalMilliseconds:N0} ms |");
}
await host.StopAsync();

// About a year of monthly revenue, as an active key account has: 12 buckets.
static BookEntry NewEntry(Random random) => new()
{
    LedgerVersion = random.Next(1, 1000),
    HierarchyVersion = 1,
    ParentAccountId = random.Next(4) == 0 ? $"acct-{random.Next(1000):D7}" : "",
    Buckets = Enumerable.Range(0, 12).Select(m => new DayAmount(new DateOnly(2026, 1, 1).AddMonths(m), random.NextInt64(1_000, 50_000_000))).ToArray(),
};

static async Task<long> StoredBytesAsync(IConfiguration config, GrainId grain)
{
    var container = new Azure.Storage.Blobs.BlobServiceClient(StorageHosting.ConnectionString(config))
        .GetBlobContainerClient($"{StorageHosting.Namespace(config).ToLowerInvariant()}-state");
    long total = 0;
    await foreach (var blob in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, null, default))
        if (blob.Name.EndsWith($"{grain}.json", StringComparison.Ordinal)) total += blob.Properties.ContentLength ?? 0;
    return total;
}
