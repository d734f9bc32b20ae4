using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ActorCrm.Scale.Benchmarks;

/// <summary>The run's settings (every option, with its default filled in).</summary>
public sealed record ScaleSettings(
    string Address, int Accounts, long Events, int Seed, DateOnly Anchor, int CreateBatch, int Concurrency, int Connections,
    int BatchSize, int Streams, int InFlight, bool SkipAccounts, double CheckTimeoutSeconds, int? SiloPid,
    [property: JsonIgnore] bool Json);

/// <summary>The accounts phase as reported.</summary>
/// <param name="AccountsPerSecond">N / phase wall time (every create, whatever its answer).</param>
/// <param name="First10Percent">Create latency of the first ⌈N/10⌉ accounts (the silo holds few accounts).</param>
/// <param name="Last10Percent">… and of the last ⌈N/10⌉ (it holds almost N).</param>
public sealed record AccountsReport(
    bool Skipped, int Planned, int TopLevel, int Children, int Groups, int LargestGroup,
    long Created, long Existing, long Errors, long Resent, double AccountsPerSecond,
    LatencySummary? First10Percent, LatencySummary? Last10Percent, LatencySummary? All,
    IReadOnlyList<string> ErrorSamples, PhaseCost? Cost)
{
    public static AccountsReport From(AccountPlan plan, AccountsResult? result, PhaseCost? cost)
    {
        if (result is null)
        {
            return new AccountsReport(true, plan.Count, plan.TopLevelCount, plan.ChildCount, plan.GroupCount, plan.LargestGroup,
                0, 0, 0, 0, 0, null, null, null, [], null);
        }

        int tenth = (plan.Count + 9) / 10;
        double[] latencies = result.LatenciesMs;
        return new AccountsReport(false, plan.Count, plan.TopLevelCount, plan.ChildCount, plan.GroupCount, plan.LargestGroup,
            result.Created, result.Existing, result.Errors, result.Resent, Math.Round(plan.Count / result.Seconds, 1),
            LatencySummary.Of(latencies[..tenth]), LatencySummary.Of(latencies[^tenth..]), LatencySummary.Of(latencies),
            result.ErrorSamples, cost);
    }
}

/// <summary>The revenue phase as reported.</summary>
/// <param name="EventsPerSecond">Events answered / (first send → last acknowledgement, resend rounds included).</param>
/// <param name="Results">Final outcome per status (see <see cref="RevenuePhase"/>).</param>
/// <param name="BatchLatency">Send → acknowledgement of each batch.</param>
public sealed record RevenueReport(
    long Events, int BatchSize, int Streams, int InFlight, double Seconds, double EventsPerSecond,
    IReadOnlyDictionary<string, long> Results, long Resent, long Errors, long StreamFailures,
    LatencySummary BatchLatency, IReadOnlyList<string> Samples, string? Aborted, PhaseCost Cost)
{
    public static RevenueReport From(ScaleSettings settings, RevenueResult result, PhaseCost cost) => new(
        result.Events, settings.BatchSize, settings.Streams, settings.InFlight, Math.Round(result.Seconds, 3),
        result.Seconds > 0 ? Math.Round(result.Answered / result.Seconds, 1) : 0,
        result.Results, result.Resent, result.Errors, result.StreamFailures, result.BatchLatency, result.Samples,
        result.AbortReason, cost);
}

/// <summary>The ranking check as reported. Result is "exact", "mismatch" or "skipped" (why: <paramref name="Note"/>).</summary>
/// <param name="ReadLatency">After an exact check: GetConcentration one call at a time (client, network and silo).</param>
public sealed record RankingReport(
    string Result, string? Note, double? LagSeconds, int BaselineAccounts, CheckedFigures? Expected, CheckedFigures? Actual,
    IReadOnlyList<string> Differences, IReadOnlyList<string> Errors, PhaseCost? Cost, LatencySummary? ReadLatency = null);

/// <summary>Everything one run measured; <c>--output json</c> prints it as one JSON object.</summary>
public sealed record ScaleReport(ScaleSettings Settings, AccountsReport Accounts, RevenueReport? Revenue, RankingReport? Ranking, bool Ok)
{
    /// <summary>The concentration query by the peers (--postgres, --redis-ranking), after an exact ranking check.</summary>
    public IReadOnlyList<PeerQuery> Peers { get; init; } = [];

    /// <summary>The silo's memory after a full GC (--metrics-url).</summary>
    public SiloMemory? Memory { get; init; }

    /// <summary>The same before the accounts phase: the per-account figures are (after − before) / N.</summary>
    public SiloMemory? MemoryBefore { get; init; }

    /// <summary>Event → subscriber latency during the revenue phase (--watchers).</summary>
    public FanOutResult? FanOut { get; init; }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // keep "→", "≤" … readable
    };

    private const int LabelWidth = 32;

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>The human-readable table.</summary>
    public void WriteTable(TextWriter output)
    {
        ScaleSettings s = Settings;
        output.WriteLine($"ActorCrm scale benchmark · {s.Address} · {N(s.Accounts)} accounts · {N(s.Events)} events · seed {s.Seed} · anchor {s.Anchor:yyyy-MM-dd}");
        var rows = new List<(string Label, string Value)>();

        Section(output, "accounts");
        AccountsReport a = Accounts;
        rows.Add(("planned", $"{N(a.Planned)}: {N(a.TopLevel)} top-level ({N(a.Groups)} group HQs), {N(a.Children)} children, largest group {N(a.LargestGroup)}"));
        if (a.Skipped)
        {
            rows.Add(("created", "skipped (--skip-accounts)"));
        }
        else
        {
            rows.Add(("created / existing / errors", $"{N(a.Created)} / {N(a.Existing)} / {N(a.Errors)}"));
            if (a.Resent > 0)
            {
                rows.Add(("resent (UNAVAILABLE)", N(a.Resent)));
            }
            rows.Add(("accounts/s", F(a.AccountsPerSecond, "N1")));
            if (a.Cost?.SiloCpuSeconds is double siloCpu && a.Created + a.Existing > 0)
            {
                rows.Add(("silo CPU per create", $"{F(siloCpu / (a.Created + a.Existing) * 1e6, "0")} µs"));
            }

            rows.Add(("create p50 / p99, first 10%", Latency(a.First10Percent)));
            rows.Add(("create p50 / p99, last 10%", Latency(a.Last10Percent)));
            rows.Add(("create p50 / p99, all", Latency(a.All)));
            rows.AddRange(a.ErrorSamples.Select(sample => ("error", sample)));
            rows.AddRange(Cost(a.Cost));
        }

        Flush(output, rows);

        if (Revenue is { } r)
        {
            Section(output, "revenue");
            rows.Add(("events", $"{N(r.Events)} in batches of {N(r.BatchSize)}, {r.Streams} streams × {r.InFlight} in flight"));
            rows.Add(("events/s", F(r.EventsPerSecond, "N1")));
            rows.AddRange(r.Results.Select(result => ("result " + result.Key, N(result.Value))));
            rows.Add(("resent / stream failures", $"{N(r.Resent)} / {N(r.StreamFailures)}"));
            rows.Add(("batch ack p50 / p99", Latency(r.BatchLatency)));
            rows.AddRange(r.Samples.Select(sample => ("problem", sample)));
            if (r.Aborted is not null)
            {
                rows.Add(("ABORTED", r.Aborted));
            }

            rows.AddRange(Cost(r.Cost));
            Flush(output, rows);
        }

        if (Ranking is { } k)
        {
            Section(output, "ranking check");
            string result = k.Result switch
            {
                "exact" => $"ranking check: exact (lag {F(k.LagSeconds ?? 0, "0.000")} s after the last ack)",
                "mismatch" => $"ranking check: MISMATCH after {F(s.CheckTimeoutSeconds, "0.#")} s in {string.Join(", ", k.Differences)}",
                _ => $"ranking check: skipped ({k.Note})",
            };
            rows.Add(("result", result));
            if (k.Note is not null && k.Result != "skipped")
            {
                rows.Add(("note", k.Note));
            }

            if (k.Expected is { } e)
            {
                CheckedFigures? actual = k.Actual;
                rows.Add(("", $"{"expected",-24}  actual"));
                rows.Add(("account_count", Pair(N(e.AccountCount), actual is null ? null : N(actual.AccountCount))));
                rows.Add(("non_positive_count", Pair(N(e.NonPositiveCount), actual is null ? null : N(actual.NonPositiveCount))));
                rows.Add(("total_revenue (fen)", Pair(e.TotalRevenueMinor, actual?.TotalRevenueMinor)));
                rows.Add(("pareto_share (top 20%)", Pair(R(e.ParetoShare), actual is null ? null : R(actual.ParetoShare))));
                rows.Add(("hhi", Pair(R(e.Hhi), actual is null ? null : R(actual.Hhi))));
                rows.Add(("gini", Pair(R(e.Gini), actual is null ? null : R(actual.Gini))));
                if (k.Differences.Contains("top_shares"))
                {
                    rows.Add(("top_shares", Pair(Shares(e.TopShares), actual is null ? null : Shares(actual.TopShares))));
                }
            }

            if (k.ReadLatency is { } read)
            {
                rows.Add(("GetConcentration p50 / p99", $"{F(read.P50Ms, "0.000")} / {F(read.P99Ms, "0.000")} ms (one at a time, n = {N(read.Count)})"));
            }

            rows.AddRange(k.Errors.Select(error => ("error", error)));
            rows.AddRange(Cost(k.Cost));
            Flush(output, rows);
        }

        if (FanOut is { } f)
        {
            Section(output, "fan-out: marker event → WatchConcentration subscribers, during the revenue phase");
            rows.Add(("subscribers / markers", $"{N(f.Subscribers)} / {N(f.Markers)}"));
            rows.Add(("deliveries / missed (> 5 s)", $"{N(f.Deliveries)} / {N(f.Missed)}"));
            rows.Add(("latency p50 / p90 / p99 / max", $"{F(f.Latency.P50Ms, "0.0")} / {F(f.P90Ms, "0.0")} / {F(f.Latency.P99Ms, "0.0")} / {F(f.MaxMs, "0.0")} ms"));
            Flush(output, rows);
        }

        if (Peers.Count > 0)
        {
            Section(output, "concentration query: ours vs peers");
            if (Ranking?.ReadLatency is { } ours)
            {
                rows.Add(("ours GetConcentration p50 / p99", $"{F(ours.P50Ms, "0.000")} / {F(ours.P99Ms, "0.000")} ms"));
            }

            foreach (PeerQuery peer in Peers)
            {
                rows.Add(($"{peer.Peer} p50 / p99", $"{F(peer.Latency.P50Ms, "0.000")} / {F(peer.Latency.P99Ms, "0.000")} ms (n = {N(peer.Latency.Count)}), "
                    + (peer.Mismatch is null ? "same figures" : $"MISMATCH: {peer.Mismatch}")));
                if (peer.BytesPerMember is long bytes)
                {
                    rows.Add(($"{peer.Peer} bytes per member", N(bytes)));
                }
            }

            Flush(output, rows);
        }

        if (Memory is { } m)
        {
            long accounts = Math.Max(1, Accounts.Planned);
            SiloMemory before = MemoryBefore ?? new SiloMemory(0, 0);
            string PerAccount(long after, long at) =>
                $"{F(after / 1048576.0, "N1")} MiB ({F(at / 1048576.0, "N1")} before the run) = {N((after - at) / accounts)} bytes per account";
            Section(output, "silo memory after a full GC (grains active)");
            rows.Add(("live managed heap", PerAccount(m.LiveManagedBytes, before.LiveManagedBytes)));
            rows.Add(("resident set", PerAccount(m.ResidentBytes, before.ResidentBytes)));
            Flush(output, rows);
        }

        output.WriteLine(Ok ? "OK" : "FAILED (see errors above)");
    }

    private static IEnumerable<(string, string)> Cost(PhaseCost? cost)
    {
        if (cost is null)
        {
            yield break;
        }

        yield return ("wall time", $"{F(cost.WallSeconds, "0.00")} s");
        yield return ("CPU client / silo", $"{F(cost.ClientCpuSeconds, "0.00")} s / {(cost.SiloCpuSeconds is double silo ? F(silo, "0.00") + " s" : "n/a (no --silo-pid)")}");
        yield return ("load average", string.Join(" ", cost.LoadAverage.Select(load => F(load, "0.00"))));
    }

    private static void Section(TextWriter output, string title) => output.WriteLine($"── {title} {new string('─', Math.Max(3, 60 - title.Length))}");

    private static void Flush(TextWriter output, List<(string Label, string Value)> rows)
    {
        foreach ((string label, string value) in rows)
        {
            output.WriteLine($"  {label,-LabelWidth}  {value}");
        }

        rows.Clear();
    }

    private static string Latency(LatencySummary? latency) =>
        latency is null || latency.Count == 0 ? "n/a" : $"{F(latency.P50Ms, "0.00")} / {F(latency.P99Ms, "0.00")} ms (n = {N(latency.Count)})";

    private static string Pair(string expected, string? actual) => $"{expected,-24}  {actual ?? "(no answer)"}";

    private static string Shares(IEnumerable<TopShareFigure> shares) => string.Join(" ", shares.Select(t => $"{t.Count}:{R(t.Share)}"));

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static string R(double value) => value.ToString("R", CultureInfo.InvariantCulture); // every digit: doubles must match exactly
}
