using System.Collections.Concurrent;
using System.Diagnostics;
using ActorCrm.Api.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using HdrHistogram;

namespace ActorCrm.Client.Bench;

public enum BenchOperation { GetAccount, Ingest, Mixed }

/// <summary>What to run.</summary>
/// <param name="Rate">Total requests per second for an open loop; 0 = closed loop (as fast as it goes).</param>
/// <param name="ReadRatio">Mixed: share of GetAccount among the requests (the rest record revenue).</param>
/// <param name="BatchSize">Ingest: events per RecordRevenue request.</param>
/// <param name="AmountMinor">Ingest: amount of each event (0 by default: recorded, but no total moves).</param>
/// <param name="OccurredAt">Ingest: the events' time (default now; must be inside the silo's window).</param>
public sealed record BenchOptions(
    BenchOperation Operation, int Concurrency, int Connections, TimeSpan Duration, double Rate, TimeSpan Warmup,
    double ReadRatio = 0.9, int BatchSize = 1, long AmountMinor = 0, DateTimeOffset? OccurredAt = null);

/// <summary>
/// A load generator in the manner of redis-benchmark. Closed loop: <c>Concurrency</c> workers, each
/// sending its next request when the previous one returns (maximum throughput). Open loop: requests
/// are scheduled at a fixed total rate and each latency is measured from its scheduled send time,
/// so a stall delays (and shows in) every request behind it rather than hiding it (no coordinated
/// omission). Latencies go into HdrHistogram (µs, 3 significant digits); requests that start during
/// the warm-up are not counted. Client CPU is the process's TotalProcessorTime over the run.
/// </summary>
public sealed class BenchRunner(IReadOnlyList<GrpcChannel> channels, IReadOnlyList<string> accountIds, BenchOptions options)
{
    private const long HighestMicros = 3_600_000_000; // one hour
    private readonly string _runId = Guid.NewGuid().ToString("N")[..10];
    private readonly ConcurrentDictionary<string, long> _errorKinds = new();
    private long _errors;

    public async Task<BenchReport> RunAsync(CancellationToken cancel)
    {
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var frequency = (double)Stopwatch.Frequency;
        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(options.Warmup.TotalSeconds * frequency);
        var end = measureFrom + (long)(options.Duration.TotalSeconds * frequency);
        var interval = options.Rate > 0 ? frequency / options.Rate : 0;
        long nextSlot = -1;

        var histograms = new LongHistogram[options.Concurrency];
        var workers = new Task[options.Concurrency];
        for (var w = 0; w < options.Concurrency; w++)
        {
            var worker = w;
            var histogram = histograms[w] = new LongHistogram(HighestMicros, 3);
            var channel = channels[w % channels.Count];
            var accounts = new AccountService.AccountServiceClient(channel);
            var revenue = new RevenueService.RevenueServiceClient(channel);
            workers[w] = Task.Run(async () =>
            {
                var random = new Random(worker * 7919 + 17);
                long sequence = 0;
                while (!cancel.IsCancellationRequested)
                {
                    long scheduled;
                    if (interval > 0)
                    {
                        var slot = Interlocked.Increment(ref nextSlot);
                        scheduled = start + (long)(slot * interval);
                        if (scheduled >= end) break;
                        // Sleep (never spin: spinning workers would eat the CPU the client and server need) until the
                        // slot's time, rounded up to the timer's millisecond; lateness counts in the latency.
                        var wait = (scheduled - Stopwatch.GetTimestamp()) / frequency;
                        if (wait > 0) await Task.Delay((int)Math.Ceiling(wait * 1000), cancel);
                    }
                    else
                    {
                        scheduled = Stopwatch.GetTimestamp();
                        if (scheduled >= end) break;
                    }
                    await CallAsync(accounts, revenue, random, worker, sequence++, cancel);
                    if (scheduled < measureFrom) continue;
                    var micros = (long)((Stopwatch.GetTimestamp() - scheduled) * 1_000_000 / frequency);
                    histogram.RecordValue(Math.Clamp(micros, 0, HighestMicros));
                }
            }, cancel);
        }
        await Task.WhenAll(workers);
        var elapsed = Math.Max((Stopwatch.GetTimestamp() - measureFrom) / frequency, 1e-6);
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;

        var all = new LongHistogram(HighestMicros, 3);
        foreach (var h in histograms) all.Add(h);
        static double Ms(double micros) => Math.Round(micros / 1000.0, 3);
        var count = all.TotalCount;
        return new BenchReport
        {
            Operation = options.Operation switch { BenchOperation.GetAccount => "get-account", BenchOperation.Ingest => "ingest", _ => "mixed" },
            Mode = interval > 0 ? "open" : "closed",
            Concurrency = options.Concurrency,
            Connections = channels.Count,
            DurationSeconds = Math.Round(elapsed, 3),
            TargetRate = options.Rate,
            Requests = count,
            Errors = Interlocked.Read(ref _errors),
            RequestsPerSecond = Math.Round(count / elapsed, 1),
            LatencyMs = count == 0 ? new LatencyMs(0, 0, 0, 0, 0, 0) : new LatencyMs(
                Ms(all.GetValueAtPercentile(50)), Ms(all.GetValueAtPercentile(90)), Ms(all.GetValueAtPercentile(99)),
                Ms(all.GetValueAtPercentile(99.9)), Ms(all.GetMaxValue()), Ms(all.GetMean())),
            ClientCpuSeconds = Math.Round(cpu.TotalSeconds, 3),
            ErrorKinds = new SortedDictionary<string, long>(_errorKinds),
        };
    }

    private async Task CallAsync(AccountService.AccountServiceClient accounts, RevenueService.RevenueServiceClient revenue, Random random, int worker, long sequence, CancellationToken cancel)
    {
        var read = options.Operation switch
        {
            BenchOperation.GetAccount => true,
            BenchOperation.Ingest => false,
            _ => random.NextDouble() < options.ReadRatio,
        };
        try
        {
            if (read)
            {
                await accounts.GetAccountAsync(new GetAccountRequest { AccountId = accountIds[random.Next(accountIds.Count)] }, cancellationToken: cancel);
                return;
            }
            var request = new RecordRevenueRequest();
            var at = Timestamp.FromDateTimeOffset(options.OccurredAt ?? DateTimeOffset.UtcNow);
            for (var i = 0; i < options.BatchSize; i++)
                request.Events.Add(new RevenueEvent
                {
                    EventId = $"bench-{_runId}-{worker}-{sequence}-{i}",
                    AccountId = accountIds[random.Next(accountIds.Count)],
                    AmountMinor = options.AmountMinor,
                    CurrencyCode = "CNY",
                    OccurredAt = at,
                });
            var response = await revenue.RecordRevenueAsync(request, cancellationToken: cancel);
            foreach (var result in response.Results)
                if (result.Status is not (RevenueEventStatus.Accepted or RevenueEventStatus.Duplicate))
                {
                    Error($"{result.Status}:{result.ReasonCode}");
                    break;
                }
        }
        catch (RpcException e) when (!cancel.IsCancellationRequested)
        {
            Error(e.StatusCode.ToString());
        }
    }

    private void Error(string kind)
    {
        Interlocked.Increment(ref _errors);
        _errorKinds.AddOrUpdate(kind, 1, (_, n) => n + 1);
    }
}
