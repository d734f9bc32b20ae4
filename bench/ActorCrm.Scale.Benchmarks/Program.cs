using System.CommandLine;
using System.Globalization;
using ActorCrm.Api;
using ActorCrm.Api.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace ActorCrm.Scale.Benchmarks;

/// <summary>
/// Scale benchmark: how fast a large book loads into a running silo, through the public gRPC API only.
/// <list type="number">
/// <item>Accounts: N creates (<see cref="AccountPlan"/>, <see cref="AccountsPhase"/>).</item>
/// <item>Revenue: E events over IngestRevenue streams (<see cref="RevenuePlan"/>, <see cref="RevenuePhase"/>).</item>
/// <item>Ranking check: GetConcentration must reach the figures computed locally from what was stored
/// (<see cref="ExpectedFigures"/>, <see cref="RankingCheck"/>).</item>
/// </list>
/// Each phase also reports its wall time and the client's and the silo's CPU (<see cref="CpuMeter"/>).
/// Exit code 0 = no errors and the ranking is exact, 1 = errors or mismatch, 2 = bad options.
/// bench/scale.sh starts a silo, runs this and stops the silo.
/// </summary>
public static class Program
{
    private const int UsageExit = 2;

    public static async Task<int> Main(string[] args)
    {
        var address = new Option<string>("--address") { Description = "the silo's gRPC endpoint", DefaultValueFactory = _ => ActorCrmChannel.DefaultAddress };
        var accounts = new Option<int>("--accounts") { Description = "N: accounts to create", DefaultValueFactory = _ => 10_000 };
        var events = new Option<long>("--events") { Description = "E: revenue events to send (0: accounts only)", DefaultValueFactory = _ => 1_000_000 };
        var seed = new Option<int>("--seed") { Description = "seed of the account shape and the events", DefaultValueFactory = _ => 42 };
        var anchor = new Option<string?>("--anchor") { Description = "events are dated in the 300 days before this day, yyyy-MM-dd (default: yesterday, UTC)" };
        var createBatch = new Option<int>("--create-batch") { Description = "accounts per BatchCreateAccounts call, 1..1000; 0: one CreateAccount call per account", DefaultValueFactory = _ => 500 };
        var concurrency = new Option<int>("--concurrency") { Description = "create calls in flight (batches with --create-batch, else single creates)", DefaultValueFactory = _ => 4 };
        var connections = new Option<int>("--connections") { Description = "HTTP/2 channels", DefaultValueFactory = _ => 4 };
        var batchSize = new Option<int>("--batch-size") { Description = "events per IngestRevenue batch, 1000..10000", DefaultValueFactory = _ => 5_000 };
        var streams = new Option<int>("--streams") { Description = "parallel IngestRevenue streams", DefaultValueFactory = _ => 4 };
        var inFlight = new Option<int>("--in-flight") { Description = "unacknowledged batches per stream", DefaultValueFactory = _ => 4 };
        var skipAccounts = new Option<bool>("--skip-accounts") { Description = "do not create accounts: reuse those of an earlier run with the same --accounts and --seed" };
        var checkTimeout = new Option<double>("--check-timeout") { Description = "seconds to wait for the ranking to match", DefaultValueFactory = _ => 60 };
        var siloPid = new Option<int?>("--silo-pid") { Description = "PID of the silo, to report its CPU time per phase" };
        var redis = new Option<string?>("--redis") { Description = "host:port of a Redis: send the same events to it doing the same exactly-once bookkeeping, instead of to a silo (the peer of issue #13)" };
        var postgres = new Option<string?>("--postgres") { Description = "an Npgsql connection string: after the ranking check, time PostgreSQL computing the same figures over a table of the window totals (issue #13, part 4)" };
        var redisRanking = new Option<string?>("--redis-ranking") { Description = "host:port of a Redis: after the ranking check, time the top-20% share from a sorted set of the window totals, and its memory per member" };
        var peerRuns = new Option<int>("--peer-runs") { Description = "timed runs of each peer's concentration query", DefaultValueFactory = _ => 10 };
        var metricsUrl = new Option<string?>("--metrics-url") { Description = "the silo's /metrics: at the end, induce a full GC in the silo (needs --silo-pid) and report its live heap and RSS per account" };
        var watchers = new Option<int>("--watchers") { Description = "open this many WatchConcentration streams before the revenue phase and time event → subscriber latency while it runs (issue #13, part 6)" };
        var rate = new Option<double>("--rate") { Description = "send revenue at most this many events/s (0: as fast as the silo answers)" };
        var output = new Option<string>("--output") { Description = "table or json", DefaultValueFactory = _ => "table" };
        output.AcceptOnlyFromAmong("table", "json");

        var root = new RootCommand("ActorCrm scale benchmark: load N accounts and E revenue events into a running silo and check the ranking")
        {
            address, accounts, events, seed, anchor, createBatch, concurrency, connections, batchSize, streams, inFlight, skipAccounts, checkTimeout, siloPid, redis,
            postgres, redisRanking, peerRuns, metricsUrl, watchers, rate, output,
        };
        root.SetAction(async (parse, cancel) =>
        {
            var settings = new ScaleSettings(
                parse.GetValue(address)!, parse.GetValue(accounts), parse.GetValue(events), parse.GetValue(seed),
                ParseAnchor(parse.GetValue(anchor)), parse.GetValue(createBatch), parse.GetValue(concurrency), parse.GetValue(connections),
                parse.GetValue(batchSize), parse.GetValue(streams), parse.GetValue(inFlight), parse.GetValue(skipAccounts),
                parse.GetValue(checkTimeout), parse.GetValue(siloPid), parse.GetValue(output) == "json");
            string? probeProblem = parse.GetValue(watchers) < 0 ? "--watchers must not be negative"
                : parse.GetValue(rate) < 0 ? "--rate must not be negative"
                : parse.GetValue(peerRuns) < 1 ? "--peer-runs must be at least 1"
                : parse.GetValue(metricsUrl) is not null && settings.SiloPid is null ? "--metrics-url needs --silo-pid"
                : null;
            if ((Problem(settings) ?? probeProblem) is string problem)
            {
                Console.Error.WriteLine($"error: {problem}");
                return UsageExit;
            }

            return parse.GetValue(redis) is string endpoint
                ? await RunRedisPeerAsync(settings, endpoint)
                : await RunAsync(settings, new Probes(parse.GetValue(postgres), parse.GetValue(redisRanking), parse.GetValue(peerRuns), parse.GetValue(metricsUrl), parse.GetValue(watchers), parse.GetValue(rate)), cancel);
        });

        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                Console.Error.WriteLine($"error: {error.Message}");
            }

            return UsageExit;
        }

        return await parsed.InvokeAsync();
    }

    /// <summary>What to measure after the ranking check: the concentration query's peers and the silo's memory.</summary>
    private sealed record Probes(string? Postgres, string? RedisRanking, int PeerRuns, string? MetricsUrl, int Watchers, double Rate);

    private static async Task<int> RunAsync(ScaleSettings settings, Probes probes, CancellationToken cancel)
    {
        var meter = new CpuMeter(settings.SiloPid);
        List<GrpcChannel> channels = Enumerable.Range(0, settings.Connections).Select(_ => ActorCrmChannel.Create(settings.Address, credentials: ActorCrmCredentials.Discover())).ToList();
        try
        {
            var plan = AccountPlan.Create(settings.Accounts, settings.Seed);
            var check = new RankingCheck(new RankingService.RankingServiceClient(channels[0]));
            Baseline baseline = await check.ReadBaselineAsync(cancel); // also proves the silo answers
            if (!baseline.IsEmpty)
            {
                Log($"note: the silo already ranks {baseline.Totals.Count:N0} accounts ({baseline.NonPositiveCount:N0} more ≤ 0); the expected figures include them");
            }

            SiloMemory? memoryBefore = probes.MetricsUrl is { } url && settings.SiloPid is int siloPid
                ? await MemoryProbe.ReadAsync(siloPid, url, cancel)
                : null;

            AccountsResult? created = null;
            PhaseCost? accountsCost = null;
            if (!settings.SkipAccounts)
            {
                Log($"accounts: creating {plan.Count:N0} ({plan.TopLevelCount:N0} top-level first, then {plan.ChildCount:N0} children in {plan.GroupCount:N0} groups), {(settings.CreateBatch > 0 ? $"batches of {settings.CreateBatch:N0}, " : "one call each, ")}{settings.Concurrency} calls in flight over {settings.Connections} connections");
                CpuMeter.Mark start = meter.Now();
                created = await new AccountsPhase(channels, settings.CreateBatch, settings.Concurrency, Log).RunAsync(plan, cancel);
                accountsCost = meter.Since(start);
            }

            RevenueReport? revenue = null;
            RankingReport? ranking = null;
            var peers = new List<PeerQuery>();
            FanOutResult? fanOut = null;
            if (settings.Events > 0)
            {
                Log($"revenue: sending {settings.Events:N0} events in batches of {settings.BatchSize:N0} over {settings.Streams} streams × {settings.InFlight} in flight");
                var events = new RevenuePlan(plan.Count, settings.Events, settings.Seed,
                    new DateTimeOffset(settings.Anchor.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
                await using FanOutProbe? fanOutProbe = probes.Watchers > 0
                    ? new FanOutProbe(channels[^1], probes.Watchers, new DateTimeOffset(settings.Anchor.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), Log)
                    : null;
                if (fanOutProbe is not null) await fanOutProbe.OpenAsync(cancel);
                CpuMeter.Mark start = meter.Now();
                RevenueResult sent = await new RevenuePhase(channels, settings.Streams, settings.InFlight, !baseline.IsEmpty, Log) { RateLimit = probes.Rate }
                    .RunAsync(events, plan.Count, settings.BatchSize, cancel);
                revenue = RevenueReport.From(settings, sent, meter.Since(start));
                var totals = ExpectedTotals(baseline, plan, sent);
                if (fanOutProbe is not null)
                {
                    fanOut = await fanOutProbe.StopAsync();
                    totals[FanOutProbe.MarkerAccountId] = totals.GetValueOrDefault(FanOutProbe.MarkerAccountId) + fanOut.MarkerTotal;
                }

                ranking = sent.AbortReason is null
                    ? await CheckRankingAsync(check, baseline, totals, sent, settings, meter, cancel)
                    : new RankingReport("skipped", "the revenue phase was aborted", null, baseline.Totals.Count, null, null, [], [], null);
                if (ranking.Result == "exact" && ranking.Expected is { } expected)
                {
                    if (probes.Postgres is { } connection)
                        peers.Add(await ConcentrationPeers.PostgresAsync(connection, totals, plan.Count, expected, probes.PeerRuns, Log, cancel));
                    if (probes.RedisRanking is { } endpoint)
                        peers.Add(await ConcentrationPeers.RedisAsync(endpoint, totals, expected, probes.PeerRuns, Log, cancel));
                }
            }

            SiloMemory? memory = null;
            if (probes.MetricsUrl is { } metrics && settings.SiloPid is int pid)
            {
                Log("memory: inducing a full GC in the silo");
                memory = await MemoryProbe.ReadAsync(pid, metrics, cancel);
            }

            bool ok = (created?.Errors ?? 0) == 0
                && (revenue is null || (revenue.Errors == 0 && revenue.Aborted is null))
                && (ranking is null || ranking.Result == "exact")
                && peers.All(p => p.Mismatch is null)
                && (fanOut is null || fanOut.Deliveries > 0);
            var report = new ScaleReport(settings, AccountsReport.From(plan, created, accountsCost), revenue, ranking, ok)
            {
                Peers = peers,
                Memory = memory,
                MemoryBefore = memoryBefore,
                FanOut = fanOut,
            };
            if (settings.Json)
            {
                Console.Out.WriteLine(report.ToJson());
            }
            else
            {
                report.WriteTable(Console.Out);
            }

            return ok ? 0 : 1;
        }
        catch (RpcException error) when (!cancel.IsCancellationRequested)
        {
            Console.Error.WriteLine($"error: {settings.Address}: {error.StatusCode}: {error.Status.Detail}");
            return 1;
        }
        catch (Exception) when (cancel.IsCancellationRequested) // Ctrl+C: gRPC may report it as RpcException(Cancelled)
        {
            Console.Error.WriteLine("interrupted");
            return 1;
        }
        finally
        {
            foreach (GrpcChannel channel in channels)
            {
                channel.Dispose();
            }
        }
    }

    /// <summary>The same events against Redis (<see cref="RedisPeer"/>); prints events/s and whether its ranking is exact.</summary>
    private static async Task<int> RunRedisPeerAsync(ScaleSettings settings, string endpoint)
    {
        var events = new RevenuePlan(settings.Accounts, settings.Events, settings.Seed,
            new DateTimeOffset(settings.Anchor.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        Log($"redis: sending {settings.Events:N0} events in batches of {settings.BatchSize:N0}, {settings.Streams} × {settings.InFlight} batches pipelined");
        RedisPeerResult result = await new RedisPeer(endpoint, settings.Streams, settings.InFlight).RunAsync(events, settings.Accounts, settings.BatchSize, Log);
        Console.Out.WriteLine($"Redis peer · {endpoint} · {settings.Accounts:N0} accounts · {settings.Events:N0} events · seed {settings.Seed}");
        Console.Out.WriteLine($"  events/s                          {result.EventsPerSecond:N1}");
        Console.Out.WriteLine($"  stored                            {result.Stored:N0}");
        Console.Out.WriteLine($"  ranking check                     {(result.Exact ? "exact" : $"MISMATCH: {result.Mismatch}")}");
        Console.Out.WriteLine($"  wall time / CPU client            {result.Seconds:N2} s / {result.ClientCpuSeconds:N2} s");
        bool ok = result.Exact && result.Stored == result.Events;
        Console.Out.WriteLine(ok ? "OK" : "FAILED");
        return ok ? 0 : 1;
    }

    /// <summary>What the silo should hold now: what it held before plus every amount it stored in this run.</summary>
    private static Dictionary<string, long> ExpectedTotals(Baseline baseline, AccountPlan plan, RevenueResult sent)
    {
        var totals = new Dictionary<string, long>(baseline.Totals, StringComparer.Ordinal);
        for (int number = 1; number <= plan.Count; number++)
        {
            if (sent.TotalsByAccount[number] != 0)
            {
                string id = AccountPlan.AccountId(number);
                totals[id] = totals.GetValueOrDefault(id) + sent.TotalsByAccount[number];
            }
        }

        return totals;
    }

    private static async Task<RankingReport> CheckRankingAsync(RankingCheck check, Baseline baseline, Dictionary<string, long> totals,
        RevenueResult sent, ScaleSettings settings, CpuMeter meter, CancellationToken cancel)
    {
        Log($"ranking: waiting up to {settings.CheckTimeoutSeconds:0.#} s for GetConcentration to match {totals.Count:N0} account totals");
        CpuMeter.Mark start = meter.Now();
        RankingCheckResult result = await check.WaitForAsync(new ExpectedFigures(totals, baseline.NonPositiveCount),
            sent.LastAck, TimeSpan.FromSeconds(settings.CheckTimeoutSeconds), cancel);
        string? note = baseline.IsEmpty ? null : $"expected = the {baseline.Totals.Count:N0} ranked accounts found before the run + this run's stored events";
        PhaseCost cost = meter.Since(start);
        LatencySummary? reads = result.Exact ? await check.MeasureReadsAsync(2_000, cancel) : null;
        return new RankingReport(result.Exact ? "exact" : "mismatch", note,
            result.LagSeconds is double lag ? Math.Round(lag, 3) : null, baseline.Totals.Count,
            result.Expected, result.Actual, result.Differences, result.Errors, cost, reads);
    }

    /// <summary>The first option out of range, or null.</summary>
    private static string? Problem(ScaleSettings s) =>
        s.Accounts is < 1 or > 999_999_999 ? "--accounts must be 1..999,999,999"
        : s.Events is < 0 or > 999_999_999 ? "--events must be 0..999,999,999"
        : s.CreateBatch is < 0 or > 1_000 ? "--create-batch must be 0..1000"
        : s.Concurrency < 1 ? "--concurrency must be at least 1"
        : s.Connections < 1 ? "--connections must be at least 1"
        : s.BatchSize is < 1_000 or > 10_000 ? "--batch-size must be 1000..10000"
        : s.Streams < 1 ? "--streams must be at least 1"
        : s.InFlight < 1 ? "--in-flight must be at least 1"
        : s.CheckTimeoutSeconds <= 0 ? "--check-timeout must be positive (seconds)"
        : s.Anchor == DateOnly.MinValue ? "--anchor must be a day, yyyy-MM-dd"
        : !Uri.TryCreate(s.Address, UriKind.Absolute, out _) ? "--address must be a URL such as http://127.0.0.1:7070"
        : null;

    /// <summary>yyyy-MM-dd, or yesterday (UTC) when not given; DateOnly.MinValue when unreadable.</summary>
    private static DateOnly ParseAnchor(string? text) =>
        text is null ? DateOnly.FromDateTime(DateTime.UtcNow.Date.AddDays(-1))
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly day) ? day
        : DateOnly.MinValue;

    private static void Log(string message) => Console.Error.WriteLine(message);
}
