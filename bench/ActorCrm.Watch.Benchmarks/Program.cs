// Opens N WatchConcentration streams on a running silo, then records revenue events one at a time
// and measures, for every subscriber, the time from sending the event to receiving the first update
// that includes it. Prints a Markdown row for docs/benchmarks.md. Usage:
//   dotnet run -c Release --project bench/ActorCrm.Watch.Benchmarks -- [address] [subscribers] [events]
using System.Diagnostics;
using ActorCrm.Api;
using ActorCrm.Api.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

var address = args.ElementAtOrDefault(0) ?? ActorCrmChannel.DefaultAddress;
var subscribers = int.Parse(args.ElementAtOrDefault(1) ?? "1000");
var events = int.Parse(args.ElementAtOrDefault(2) ?? "50");

using var channel = ActorCrmChannel.Create(address, credentials: ActorCrmCredentials.Discover());
var accounts = new AccountService.AccountServiceClient(channel);
var revenue = new RevenueService.RevenueServiceClient(channel);
var ranking = new RankingService.RankingServiceClient(channel);

var accountId = $"bench-watch-{DateTime.UtcNow:HHmmss}";
await accounts.CreateAccountAsync(new CreateAccountRequest
{
    Account = new Account
    {
        AccountId = accountId, DisplayName = "压测账户", Kind = AccountKind.Business, Tier = StrategicTier.LocalOrOther,
        Owner = "u-bench", Industry = "公路", Region = "四川省",
    },
});

// The event being measured: its number, when it was sent, and the total that includes it.
long currentEvent = 0, sentAt = 0, targetTotal = long.MaxValue;
var latencies = new List<double>[subscribers];
var arrived = 0;
using var stop = new CancellationTokenSource();

var ready = new CountdownEvent(subscribers);
var readers = Enumerable.Range(0, subscribers).Select(i => Task.Run(async () =>
{
    latencies[i] = new List<double>(events);
    using var call = ranking.WatchConcentration(new WatchConcentrationRequest { MinIntervalMs = 1, TopLimit = 10 }, cancellationToken: stop.Token);
    long recorded = 0;
    var first = true;
    try
    {
        await foreach (var update in call.ResponseStream.ReadAllAsync(stop.Token))
        {
            if (first)
            {
                first = false;
                ready.Signal();
            }
            var measuring = Interlocked.Read(ref currentEvent);
            if (measuring > recorded && update.Concentration.TotalRevenueMinor >= Interlocked.Read(ref targetTotal))
            {
                latencies[i].Add(Stopwatch.GetElapsedTime(Interlocked.Read(ref sentAt)).TotalMilliseconds);
                recorded = measuring;
                Interlocked.Increment(ref arrived);
            }
        }
    }
    catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled) { }
    catch (OperationCanceledException) { }
})).ToArray();

if (!ready.Wait(TimeSpan.FromSeconds(120))) throw new TimeoutException($"only {subscribers - ready.CurrentCount} of {subscribers} streams opened");
Console.Error.WriteLine($"{subscribers} subscribers open");

var total = (await ranking.GetConcentrationAsync(new GetConcentrationRequest())).TotalRevenueMinor;
var missed = 0;
for (var e = 1; e <= events; e++)
{
    Interlocked.Exchange(ref arrived, 0);
    total += 1_000;
    Interlocked.Exchange(ref targetTotal, total);
    Interlocked.Exchange(ref sentAt, Stopwatch.GetTimestamp());
    Interlocked.Exchange(ref currentEvent, e);
    await revenue.RecordRevenueAsync(new RecordRevenueRequest
    {
        Events = { new RevenueEvent { AccountId = accountId, EventId = $"e{e}", AmountMinor = 1_000, CurrencyCode = "CNY", OccurredAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow) } },
    });
    var waited = Stopwatch.StartNew();
    while (Volatile.Read(ref arrived) < subscribers && waited.Elapsed < TimeSpan.FromSeconds(5)) await Task.Delay(5);
    missed += subscribers - Volatile.Read(ref arrived);
    await Task.Delay(300);
}
stop.Cancel();
await Task.WhenAll(readers);

var all = latencies.SelectMany(l => l).Order().ToArray();
double Percentile(double p) => all.Length == 0 ? double.NaN : all[Math.Min(all.Length - 1, (int)Math.Ceiling(p * all.Length) - 1)];
Console.WriteLine("| subscribers | events | deliveries | p50 | p90 | p99 | max | missed (> 5 s) |");
Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
Console.WriteLine($"| {subscribers:N0} | {events} | {all.Length:N0} | {Percentile(0.5):N0} ms | {Percentile(0.9):N0} ms | {Percentile(0.99):N0} ms | {all.LastOrDefault():N0} ms | {missed} |");
