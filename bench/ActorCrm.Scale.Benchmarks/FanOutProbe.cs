using System.Diagnostics;
using ActorCrm.Api.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;

namespace ActorCrm.Scale.Benchmarks;

/// <summary>Event → subscriber latency while the revenue phase runs (issue #13, part 6).</summary>
public sealed record FanOutResult(int Subscribers, int Markers, long Deliveries, long Missed, LatencySummary Latency, double P90Ms, double MaxMs, long MarkerTotal);

/// <summary>
/// N WatchConcentration subscribers (top row only, min interval 1 ms) opened before the revenue phase;
/// while it runs, a marker event is recorded every 300 ms on an account of its own whose first event
/// makes it the largest account, and each subscriber times the first update whose top row shows the
/// marker's new total. A subscriber that has not seen a marker after 5 s counts it as missed. The
/// marker's revenue is part of what the ranking check then expects.
/// </summary>
public sealed class FanOutProbe(GrpcChannel channel, int subscribers, DateTimeOffset anchor, Action<string> log) : IAsyncDisposable
{
    public const string MarkerAccountId = "fanout-marker";
    private const long FirstAmount = 100_000_000_000_000; // 10^14 fen: above any planned account's window total, and exact as a Redis score
    private const long MarkerAmount = 1_000;
    private static readonly TimeSpan MarkerInterval = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan MissedAfter = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _stop = new();
    private readonly List<double>[] _latencies = Enumerable.Range(0, subscribers).Select(_ => new List<double>()).ToArray();
    private readonly List<Task> _readers = [];
    private long _target = long.MaxValue;
    private long _sentAt;
    private long _marker;
    private int _arrived;
    private long _missed;
    private int _markers;
    private int _completed;
    private long _total;
    private Task? _markerLoop;

    /// <summary>The marker account's window total so far (for the ranking check).</summary>
    public long MarkerTotal => Interlocked.Read(ref _total);

    public async Task OpenAsync(CancellationToken cancel)
    {
        var accounts = new AccountService.AccountServiceClient(channel);
        try
        {
            await accounts.CreateAccountAsync(new CreateAccountRequest
            {
                Account = new Account { AccountId = MarkerAccountId, DisplayName = "推送延迟标记", Kind = AccountKind.Business, Tier = StrategicTier.LocalOrOther },
            }, cancellationToken: cancel);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.AlreadyExists)
        {
            throw new InvalidOperationException($"{MarkerAccountId} exists already: run the fan-out probe on a fresh silo");
        }

        await RecordAsync("first", FirstAmount, cancel);
        var ranking = new RankingService.RankingServiceClient(channel);
        using var ready = new CountdownEvent(subscribers);
        for (int i = 0; i < subscribers; i++)
        {
            List<double> latencies = _latencies[i];
            _readers.Add(Task.Run(() => ReadAsync(ranking, latencies, ready)));
        }

        if (!ready.Wait(TimeSpan.FromSeconds(120), cancel))
            throw new TimeoutException($"only {subscribers - ready.CurrentCount} of {subscribers} WatchConcentration streams opened");
        log($"fan-out: {subscribers:N0} subscribers open; a marker event every {MarkerInterval.TotalMilliseconds:0} ms during the revenue phase");
        _markerLoop = Task.Run(MarkersAsync);
    }

    private async Task ReadAsync(RankingService.RankingServiceClient ranking, List<double> latencies, CountdownEvent ready)
    {
        bool first = true;
        long seen = 0;
        try
        {
            using var call = ranking.WatchConcentration(new WatchConcentrationRequest { MinIntervalMs = 1, TopLimit = 1 }, cancellationToken: _stop.Token);
            await foreach (ConcentrationUpdate update in call.ResponseStream.ReadAllAsync(_stop.Token))
            {
                if (first)
                {
                    first = false;
                    ready.Signal();
                }

                long marker = Interlocked.Read(ref _marker);
                if (marker > seen && update.TopAccounts.Count > 0 && update.TopAccounts[0].AccountId == MarkerAccountId
                    && update.TopAccounts[0].RevenueMinor >= Interlocked.Read(ref _target))
                {
                    latencies.Add(Stopwatch.GetElapsedTime(Interlocked.Read(ref _sentAt)).TotalMilliseconds);
                    seen = marker;
                    Interlocked.Increment(ref _arrived);
                }
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
        }
    }

    private async Task MarkersAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                int number = Interlocked.Increment(ref _markers);
                Interlocked.Exchange(ref _arrived, 0);
                Interlocked.Exchange(ref _target, FirstAmount + (number * MarkerAmount));
                Interlocked.Exchange(ref _sentAt, Stopwatch.GetTimestamp());
                Interlocked.Exchange(ref _marker, number);
                await RecordAsync($"m{number}", MarkerAmount, CancellationToken.None); // never cut short: the ranking check counts it
                var waited = Stopwatch.StartNew();
                while (Volatile.Read(ref _arrived) < subscribers && waited.Elapsed < MissedAfter && !_stop.IsCancellationRequested)
                {
                    await Task.Delay(5, _stop.Token);
                }

                Interlocked.Add(ref _missed, subscribers - Volatile.Read(ref _arrived));
                Interlocked.Increment(ref _completed);
                await Task.Delay(MarkerInterval, _stop.Token);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private async Task RecordAsync(string eventId, long amount, CancellationToken cancel)
    {
        var revenue = new RevenueService.RevenueServiceClient(channel);
        RecordRevenueResponse answer = await revenue.RecordRevenueAsync(new RecordRevenueRequest
        {
            Events =
            {
                new RevenueEvent
                {
                    AccountId = MarkerAccountId, EventId = eventId, AmountMinor = amount, CurrencyCode = "CNY",
                    OccurredAt = Timestamp.FromDateTimeOffset(anchor - TimeSpan.FromDays(1)),
                },
            },
        }, cancellationToken: cancel);
        if (answer.Results[0].Status != RevenueEventStatus.Accepted)
            throw new InvalidOperationException($"marker event {eventId} was answered {answer.Results[0].Status}");
        Interlocked.Add(ref _total, amount);
    }

    /// <summary>Stops the markers (the one in flight is waited for) and the subscribers; the latencies of every delivery.</summary>
    public async Task<FanOutResult> StopAsync()
    {
        await _stop.CancelAsync();
        if (_markerLoop is not null) await _markerLoop;
        await Task.WhenAll(_readers);
        double[] all = _latencies.SelectMany(l => l).Order().ToArray();
        // A marker whose wait the stop cut short is not counted (nor are its missed deliveries).
        return new FanOutResult(subscribers, Volatile.Read(ref _completed), all.Length, Interlocked.Read(ref _missed), LatencySummary.Of(all),
            all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)Math.Ceiling(0.9 * all.Length) - 1)], all.LastOrDefault(), MarkerTotal);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested) await _stop.CancelAsync();
        _stop.Dispose();
    }
}
