using ActorCrm.IntegrationTests.Infrastructure;

namespace ActorCrm.IntegrationTests.Cli;

public sealed class ExportSourceSiloFactory : SiloFactory;

public sealed class ExportTargetSiloFactory : SiloFactory;

/// <summary>`actorcrm export` → `actorcrm import` into an empty silo round-trips; `bench` reports throughput and percentiles.</summary>
public sealed class ExportAndBenchTests(ExportSourceSiloFactory source, ExportTargetSiloFactory target)
    : IClassFixture<ExportSourceSiloFactory>, IClassFixture<ExportTargetSiloFactory>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("actorcrm-export-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly SemaphoreSlim Loaded = new(1, 1);
    private static bool s_loaded;

    private async Task LoadDemoAsync()
    {
        await Loaded.WaitAsync();
        try
        {
            if (s_loaded) return;
            var demo = await CliRunner.RunAsync(source, "demo", "--accounts", "25", "--seed", "11", "--anchor", "2026-11-27T08:00:00Z", "--no-progress");
            Assert.True(demo.ExitCode == 0, demo.ToString());
            s_loaded = true;
        }
        finally
        {
            Loaded.Release();
        }
    }

    [Fact]
    public async Task Export_then_import_into_an_empty_silo_round_trips()
    {
        await LoadDemoAsync();
        var files = new (string Kind, string File)[]
        {
            ("accounts", "accounts.csv"), ("contacts", "contacts.jsonl"), ("opportunities", "opportunities.csv"), ("activities", "activities.jsonl"),
            ("revenue", "revenue.csv"),
        };
        foreach (var (kind, file) in files)
        {
            var export = await CliRunner.RunAsync(source, "export", kind, Path.Combine(_dir, file));
            Assert.True(export.ExitCode == 0, export.ToString());
        }
        Assert.True(File.ReadAllLines(Path.Combine(_dir, "accounts.csv")).Length == 26, "25 accounts and a header");

        foreach (var (kind, file) in files)
        {
            var import = await CliRunner.RunAsync(target, "import", kind, Path.Combine(_dir, file), "--no-progress", "--output", "json");
            Assert.True(import.ExitCode == 0, import.ToString());
            var summary = import.JsonLines[0];
            Assert.Equal(0, summary.GetProperty("rejected").GetInt64());
            Assert.Equal(summary.GetProperty("rows").GetInt64(), summary.GetProperty("created").GetInt64());
        }

        foreach (var (kind, file) in files)
        {
            var again = Path.Combine(_dir, "again-" + file);
            Assert.Equal(0, (await CliRunner.RunAsync(target, "export", kind, again)).ExitCode);
            Assert.Equal(File.ReadAllText(Path.Combine(_dir, file)), File.ReadAllText(again));
        }
    }

    [Fact]
    public async Task Bench_reports_throughput_and_percentiles_as_json()
    {
        await LoadDemoAsync();
        var closed = await CliRunner.RunAsync(source, "bench", "get-account", "--duration", "1", "--warmup", "0.2",
            "--concurrency", "4", "--connections", "2", "--output", "json");
        Assert.True(closed.ExitCode == 0, closed.ToString());
        var report = closed.JsonLines[0];
        Assert.Equal("closed", report.GetProperty("mode").GetString());
        Assert.True(report.GetProperty("requests_per_second").GetDouble() > 0);
        Assert.Equal(0, report.GetProperty("errors").GetInt64());
        var latency = report.GetProperty("latency_ms");
        Assert.True(latency.GetProperty("p50").GetDouble() > 0);
        Assert.True(latency.GetProperty("p999").GetDouble() >= latency.GetProperty("p99").GetDouble());
        Assert.True(latency.GetProperty("p99").GetDouble() >= latency.GetProperty("p90").GetDouble());
        Assert.True(latency.GetProperty("p90").GetDouble() >= latency.GetProperty("p50").GetDouble());
        Assert.True(report.GetProperty("client_cpu_seconds").GetDouble() > 0);

        var open = await CliRunner.RunAsync(source, "bench", "mixed", "--duration", "1", "--warmup", "0", "--rate", "200",
            "--concurrency", "8", "--occurred-at", "2026-11-27T07:00:00Z", "--output", "json");
        Assert.True(open.ExitCode == 0, open.ToString());
        var openReport = open.JsonLines[0];
        Assert.Equal("open", openReport.GetProperty("mode").GetString());
        Assert.InRange(openReport.GetProperty("requests").GetInt64(), 150, 250);
        Assert.True(openReport.GetProperty("latency_ms").GetProperty("p99").GetDouble() > 0);
    }
}
