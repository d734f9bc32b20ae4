using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;

namespace ActorCrm.Scale.Benchmarks;

/// <summary>The silo's memory after a full GC: live managed bytes (heap minus fragmentation) and resident set size.</summary>
public sealed record SiloMemory(long LiveManagedBytes, long ResidentBytes);

/// <summary>
/// Reads the silo's memory the way an operator would, from outside: a full blocking GC is induced
/// over the diagnostics port (an EventPipe session with the runtime's GCHeapCollect keyword, what
/// dotnet-gcdump does before it walks the heap), then the live heap is read from the silo's own
/// /metrics (System.Runtime's heap size and fragmentation per generation after that GC) and the RSS
/// from /proc.
/// </summary>
public static class MemoryProbe
{
    private const long GcKeyword = 0x1;
    private const long GcHeapCollectKeyword = 0x800000;

    public static async Task<SiloMemory> ReadAsync(int siloPid, string metricsUrl, CancellationToken cancel)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        // /metrics needs an admin: the local admin key the silo provisioned (or ACTORCRM_API_KEY).
        if (ActorCrm.Api.ActorCrmCredentials.Discover() is { } credentials)
            http.DefaultRequestHeaders.TryAddWithoutValidation(credentials.HeaderName, credentials.HeaderValue);
        double gen2Before = Sum(await http.GetStringAsync(metricsUrl, cancel), "dotnet_gc_collections_total", "gen2");

        var client = new DiagnosticsClient(siloPid);
        using (EventPipeSession session = client.StartEventPipeSession(
            new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, GcKeyword | GcHeapCollectKeyword),
            requestRundown: false))
        {
            Task drain = session.EventStream.CopyToAsync(Stream.Null, cancel);
            await Task.Delay(TimeSpan.FromSeconds(2), cancel);
            await session.StopAsync(cancel);
            await drain;
        }

        // The exporter caches a scrape briefly: read until the induced gen2 collection shows.
        for (int attempt = 0; ; attempt++)
        {
            string text = await http.GetStringAsync(metricsUrl, cancel);
            if (Sum(text, "dotnet_gc_collections_total", "gen2") > gen2Before || attempt == 20)
            {
                if (attempt == 20) throw new InvalidOperationException("no full GC showed in the silo's metrics after it was induced");
                long live = (long)(Sum(text, "dotnet_gc_last_collection_heap_size_bytes", null)
                    - Sum(text, "dotnet_gc_last_collection_heap_fragmentation_size_bytes", null));
                return new SiloMemory(live, ResidentBytes(siloPid));
            }

            await Task.Delay(500, cancel);
        }
    }

    /// <summary>Σ of a Prometheus metric's samples (only those of one generation, when given).</summary>
    private static double Sum(string exposition, string metric, string? generation) =>
        exposition.Split('\n')
            .Where(line => line.StartsWith(metric + "{", StringComparison.Ordinal)
                && (generation is null || line.Contains($"gc_heap_generation=\"{generation}\"", StringComparison.Ordinal)))
            .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));

    private static long ResidentBytes(int pid)
    {
        string? line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }
}
