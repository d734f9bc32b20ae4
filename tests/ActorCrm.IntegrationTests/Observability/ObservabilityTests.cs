using System.Diagnostics;
using ActorCrm.Api.V1;
using ActorCrm.IntegrationTests.Api;
using ActorCrm.IntegrationTests.Infrastructure;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using OpenTelemetry.Metrics;
using Activity = System.Diagnostics.Activity;

namespace ActorCrm.IntegrationTests.Observability;

/// <summary>
/// The ActorCrm meter is process-wide, so these tests run alone (after the parallel ones): the
/// counter deltas they assert are then exactly their own.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ObservabilityCollection : ICollectionFixture<TelemetrySiloFactory>
{
    public const string Name = "observability";
}

[Collection(ObservabilityCollection.Name)]
public class ObservabilityTests(TelemetrySiloFactory silo)
{
    [Fact]
    public async Task A_grpc_GetAccount_produces_a_server_span_with_a_child_grain_call_span_in_the_same_trace()
    {
        var id = Ids.New("trace");
        await silo.Accounts.CreateAccountAsync(new CreateAccountRequest { Account = AccountApiTests.NewAccount(id) });

        await silo.Accounts.GetAccountAsync(new GetAccountRequest { AccountId = id });

        Activity? server = null, grainCall = null;
        for (var attempt = 0; attempt < 50 && grainCall is null; attempt++)
        {
            var spans = silo.Spans.ToList();
            server = spans.LastOrDefault(s => s.Kind == ActivityKind.Server && s.Source.Name == "Microsoft.AspNetCore"
                                                && s.DisplayName.Contains("AccountService/GetAccount"));
            grainCall = server is null
                ? null
                : spans.FirstOrDefault(s => s.Source.Name.StartsWith("Microsoft.Orleans") && s.ParentSpanId == server.SpanId
                                            && s.DisplayName.Contains("IAccountGrain"));
            if (grainCall is null) await Task.Delay(100);
        }

        Assert.NotNull(server);
        Assert.NotNull(grainCall);
        Assert.Equal(server.TraceId, grainCall.TraceId);
        // The grain side of the call joins the same trace too (activity propagation).
        Assert.Contains(silo.Spans.ToList(), s => s.TraceId == server.TraceId && s.ParentSpanId == grainCall.SpanId);
    }

    [Fact]
    public async Task A_call_in_a_trace_its_caller_did_not_sample_makes_no_grain_call_spans()
    {
        var id = Ids.New("untraced");
        var probe = Ids.New("traced"); // read once, by the sampled call: a first read goes to the grain (later ones hit the silo's cache)
        await silo.Accounts.CreateAccountAsync(new CreateAccountRequest { Account = AccountApiTests.NewAccount(id) });
        await silo.Accounts.CreateAccountAsync(new CreateAccountRequest { Account = AccountApiTests.NewAccount(probe) });
        var traceId = ActivityTraceId.CreateRandom();
        var notSampled = new Metadata { { "traceparent", $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-00" } };

        await silo.Accounts.GetAccountAsync(new GetAccountRequest { AccountId = id }, notSampled);
        var sampledId = ActivityTraceId.CreateRandom();
        var sampled = new Metadata { { "traceparent", $"00-{sampledId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01" } };
        await silo.Accounts.GetAccountAsync(new GetAccountRequest { AccountId = probe }, sampled);

        // The sampled call's grain spans show up; by then the unsampled call's would have too.
        for (var attempt = 0; attempt < 50 && !silo.Spans.ToList().Any(s => s.TraceId == sampledId && s.Source.Name.StartsWith("Microsoft.Orleans")); attempt++)
            await Task.Delay(100);
        Assert.Contains(silo.Spans.ToList(), s => s.TraceId == sampledId && s.Source.Name.StartsWith("Microsoft.Orleans"));
        Assert.DoesNotContain(silo.Spans.ToList(), s => s.TraceId == traceId);
    }

    [Fact]
    public async Task Ingesting_revenue_moves_the_ActorCrm_counters_and_gauges()
    {
        var account = Ids.New("meter");
        await silo.Accounts.CreateAccountAsync(new CreateAccountRequest { Account = AccountApiTests.NewAccount(account) });
        var before = silo.CollectMetrics();
        var now = silo.Clock.GetUtcNow();

        var reply = await silo.Revenue.RecordRevenueAsync(new RecordRevenueRequest
        {
            Events =
            {
                Event(account, "inv-1", now.AddDays(-3)),
                Event(account, "inv-2", now.AddDays(-2)),
                Event(account, "inv-old", now.AddYears(-3)),
                Event(account, "inv-usd", now.AddDays(-1), currency: "USD"),
                Event(Ids.New("ghost"), "inv-3", now.AddDays(-1)),
            },
        });
        Assert.Equal(
            [RevenueEventStatus.Accepted, RevenueEventStatus.Accepted, RevenueEventStatus.Expired, RevenueEventStatus.Rejected, RevenueEventStatus.Rejected],
            reply.Results.Select(r => r.Status));
        await silo.Revenue.RecordRevenueAsync(new RecordRevenueRequest { Events = { Event(account, "inv-1", now.AddDays(-3)) } });

        // The pre-aggregator flushes every 50 ms in tests; wait until the ranking holds the account.
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var rank = await silo.Ranking.GetAccountRankAsync(new GetAccountRankRequest { AccountId = account });
            if (rank.Rank > 0) break;
            await Task.Delay(50);
        }
        var after = silo.CollectMetrics();

        long Delta(string outcome, string reason = "") =>
            Sum(after, "actorcrm.revenue.events", outcome, reason) - Sum(before, "actorcrm.revenue.events", outcome, reason);
        Assert.Equal(2, Delta("accepted"));
        Assert.Equal(1, Delta("duplicate"));
        Assert.Equal(1, Delta("expired"));
        Assert.Equal(1, Delta("rejected", "CURRENCY_NOT_ACCEPTED"));
        Assert.Equal(1, Delta("rejected", "UNKNOWN_ACCOUNT"));

        Assert.True(Sum(after, "actorcrm.ranking.flushes", "", "") > Sum(before, "actorcrm.ranking.flushes", "", ""), "no ranking flush counted");
        Assert.True(after.ContainsKey("actorcrm.ranking.flush.lag"));
        foreach (var gauge in new[] { "actorcrm.ranking.pareto_share", "actorcrm.ranking.hhi", "actorcrm.ranking.gini", "actorcrm.ranking.account_count" })
        {
            Assert.True(after.TryGetValue(gauge, out var metric), $"{gauge} not exported");
            var scopes = metric.MetricPoints.Select(p => Tags(p).GetValueOrDefault("scope")).ToHashSet();
            Assert.Equal(new HashSet<string?> { "account", "group" }, scopes);
        }
        Assert.True(GaugeValue(after, "actorcrm.ranking.account_count", "account") >= 1);
    }

    [Fact]
    public async Task Metrics_endpoint_serves_prometheus_text_with_the_ActorCrm_metric_names()
    {
        var account = Ids.New("prom");
        await silo.Accounts.CreateAccountAsync(new CreateAccountRequest { Account = AccountApiTests.NewAccount(account) });
        await silo.Revenue.RecordRevenueAsync(new RecordRevenueRequest { Events = { Event(account, "inv-1", silo.Clock.GetUtcNow().AddDays(-1)) } });

        await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => silo.Accounts.GetAccountAsync(new GetAccountRequest { AccountId = Ids.New("missing") }).ResponseAsync);

        using var http = silo.CreateClient();
        string[] expected =
        [
            "actorcrm_api_errors_total", "actorcrm_revenue_events_total", "actorcrm_ranking_flushes_total", "actorcrm_ranking_flush_lag_seconds_bucket",
            "actorcrm_ranking_pareto_share", "actorcrm_ranking_hhi", "actorcrm_ranking_gini", "actorcrm_ranking_account_count",
            "http_server_request_duration_seconds_bucket",
        ];
        var text = "";
        for (var attempt = 0; attempt < 50 && !expected.All(text.Contains); attempt++)
        {
            if (attempt > 0) await Task.Delay(200); // the exporter caches a scrape briefly
            var response = await http.GetAsync("/metrics");
            Assert.True(response.IsSuccessStatusCode, $"/metrics answered {response.StatusCode}");
            Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
            text = await response.Content.ReadAsStringAsync();
        }

        foreach (var name in expected) Assert.Contains(name, text);
        Assert.Contains("actorcrm_revenue_events_total{otel_scope_name=\"ActorCrm\",outcome=\"accepted\"}", text);
        Assert.Contains("scope=\"group\"", text);
        Assert.Contains("orleans_", text); // the Orleans meter is exported too
        Assert.Contains("/actorcrm.v1.RevenueService/RecordRevenue", text); // request duration per gRPC method
        Assert.DoesNotContain("http_server_active_requests", text);
        var errors = text.Split('\n').Where(line => line.StartsWith("actorcrm_api_errors_total{", StringComparison.Ordinal)).ToList();
        Assert.Contains(errors, line => line.Contains("code=\"NotFound\"") && line.Contains("method=\"/actorcrm.v1.AccountService/GetAccount\"")); // dropped: an update per call that says nothing more
    }

    [Fact]
    public async Task Calls_marked_as_an_import_count_their_rows_and_ordinary_calls_do_not()
    {
        var account = Ids.New("import");
        var import = new Grpc.Core.Metadata { { "actorcrm-import", "accounts" } };
        var before = silo.CollectMetrics();
        await silo.Accounts.CreateAccountAsync(new CreateAccountRequest { Account = AccountApiTests.NewAccount(account) }, import);
        await silo.Accounts.GetAccountAsync(new GetAccountRequest { AccountId = account });
        var now = silo.Clock.GetUtcNow();
        using (var ingest = silo.Revenue.IngestRevenue(new Grpc.Core.Metadata { { "actorcrm-import", "revenue" } }))
        {
            await ingest.RequestStream.WriteAsync(new RecordRevenueRequest { Events = { Event(account, "i-1", now), Event(account, "i-2", now), Event(account, "i-3", now) } });
            await ingest.RequestStream.WriteAsync(new RecordRevenueRequest { Events = { Event(account, "i-4", now) } });
            await ingest.RequestStream.CompleteAsync();
            while (await ingest.ResponseStream.MoveNext(CancellationToken.None)) { }
        }
        await silo.Revenue.RecordRevenueAsync(new RecordRevenueRequest { Events = { Event(account, "not-an-import", now) } });
        var after = silo.CollectMetrics();

        long Rows(IReadOnlyDictionary<string, MetricSnapshot> metrics, string entity) =>
            metrics.TryGetValue("actorcrm.import.rows", out var metric)
                ? metric.MetricPoints.Where(p => Tags(p).GetValueOrDefault("entity") == entity).Sum(p => p.GetSumLong())
                : 0;
        Assert.Equal(1, Rows(after, "accounts") - Rows(before, "accounts"));
        Assert.Equal(4, Rows(after, "revenue") - Rows(before, "revenue"));
    }

    [Fact]
    public async Task The_live_subscription_count_is_a_metric_that_follows_streams_opening_and_closing()
    {
        using var http = silo.CreateClient();
        async Task<long> ScrapeAsync()
        {
            var text = await http.GetStringAsync("/metrics");
            var match = System.Text.RegularExpressions.Regex.Match(text, "actorcrm_subscriptions_active\\{[^}]*kind=\"concentration\"[^}]*\\} (\\d+)");
            return match.Success ? long.Parse(match.Groups[1].Value) : 0;
        }
        async Task<long> WaitForAsync(Func<long, bool> condition)
        {
            for (var attempt = 0; ; attempt++)
            {
                var value = await ScrapeAsync();
                if (condition(value) || attempt == 50) return value;
                await Task.Delay(200); // the exporter caches a scrape briefly
            }
        }

        var before = await ScrapeAsync();
        var streams = Enumerable.Range(0, 3).Select(_ => new Watching.StreamReader<ConcentrationUpdate>(silo.Ranking.WatchConcentration(new WatchConcentrationRequest()))).ToArray();
        foreach (var stream in streams) await stream.NextAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(before + 3, await WaitForAsync(v => v == before + 3));

        foreach (var stream in streams) await stream.DisposeAsync();
        Assert.Equal(before, await WaitForAsync(v => v == before));
    }

    [Fact]
    public async Task The_dashboard_is_off_by_default()
    {
        using var http = silo.CreateClient();
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync("/dashboard")).StatusCode);
    }

    internal static RevenueEvent Event(string account, string eventId, DateTimeOffset at, string currency = "CNY", long amount = 1_000_000) => new()
    {
        AccountId = account,
        EventId = eventId,
        AmountMinor = amount,
        CurrencyCode = currency,
        OccurredAt = Timestamp.FromDateTimeOffset(at),
    };

    private static Dictionary<string, string?> Tags(MetricPoint point)
    {
        var tags = new Dictionary<string, string?>();
        foreach (var tag in point.Tags) tags[tag.Key] = tag.Value?.ToString();
        return tags;
    }

    /// <summary>Sum of a counter's points with the given outcome (and reason) tags; empty means "any".</summary>
    private static long Sum(IReadOnlyDictionary<string, MetricSnapshot> metrics, string name, string outcome, string reason)
    {
        if (!metrics.TryGetValue(name, out var metric)) return 0;
        return metric.MetricPoints
            .Where(p => outcome == "" || Tags(p).GetValueOrDefault("outcome") == outcome)
            .Where(p => reason == "" || Tags(p).GetValueOrDefault("reason") == reason)
            .Sum(p => p.GetSumLong());
    }

    private static double GaugeValue(IReadOnlyDictionary<string, MetricSnapshot> metrics, string name, string scope)
    {
        var point = metrics[name].MetricPoints.Single(p => Tags(p).GetValueOrDefault("scope") == scope);
        return metrics[name].MetricType == MetricType.LongGauge ? point.GetGaugeLastValueLong() : point.GetGaugeLastValueDouble();
    }
}
