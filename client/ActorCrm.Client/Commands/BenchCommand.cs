using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ActorCrm.Api.V1;
using ActorCrm.Client.Bench;
using ActorCrm.Client.Export;
using Spectre.Console;

namespace ActorCrm.Client.Commands;

/// <summary>`actorcrm bench get-account|ingest|mixed --concurrency --connections --duration [--rate]`</summary>
public static class BenchCommand
{
    /// <summary>At most this many account ids are read to aim requests at.</summary>
    public const int MaxTargets = 10_000;

    public static Command Create(CliHost host)
    {
        var bench = new Command("bench", "Load generator: closed loop for maximum throughput, open loop (--rate) for latency");
        bench.Subcommands.Add(Sub(host, BenchOperation.GetAccount, "get-account", "GetAccount on random existing accounts"));
        bench.Subcommands.Add(Sub(host, BenchOperation.Ingest, "ingest", "RecordRevenue of new events (amount 0 by default, ids bench-…) on random accounts"));
        bench.Subcommands.Add(Sub(host, BenchOperation.Mixed, "mixed", "GetAccount and RecordRevenue mixed (--read-ratio)"));
        return bench;
    }

    private static Command Sub(CliHost host, BenchOperation operation, string name, string description)
    {
        var concurrency = new Option<int>("--concurrency") { Description = "requests in flight (workers)", DefaultValueFactory = _ => 32 };
        var connections = new Option<int>("--connections") { Description = "HTTP/2 connections (channels)", DefaultValueFactory = _ => 4 };
        var duration = new Option<double>("--duration") { Description = "seconds measured", DefaultValueFactory = _ => 10 };
        var warmup = new Option<double>("--warmup") { Description = "seconds run before measuring", DefaultValueFactory = _ => 1 };
        var rate = new Option<double>("--rate") { Description = "open loop: total requests per second (latency from scheduled send time); 0 = closed loop", DefaultValueFactory = _ => 0 };
        var readRatio = new Option<double>("--read-ratio") { Description = "mixed: share of reads", DefaultValueFactory = _ => 0.9 };
        var batch = new Option<int>("--batch-size") { Description = "events per RecordRevenue request", DefaultValueFactory = _ => 1 };
        var amount = new Option<long>("--amount") { Description = "amount of each bench event in minor units (0: moves no total)", DefaultValueFactory = _ => 0 };
        var occurredAt = new Option<DateTimeOffset?>("--occurred-at") { Description = "time of the bench events (default now)" };
        var command = new Command(name, description) { concurrency, connections, duration, warmup, rate };
        if (operation != BenchOperation.GetAccount) { command.Options.Add(batch); command.Options.Add(amount); command.Options.Add(occurredAt); }
        if (operation == BenchOperation.Mixed) command.Options.Add(readRatio);
        command.SetAction((parse, cancel) => GlobalOptions.RunAsync(host, parse, async context =>
        {
            // Checked here, not in a command validator: validators do not see the options' defaults.
            static void Require(bool ok, string message) { if (!ok) throw new CliException(message, ExitCodes.Usage); }
            Require(parse.GetValue(concurrency) >= 1, "--concurrency must be at least 1");
            Require(parse.GetValue(connections) >= 1, "--connections must be at least 1");
            Require(parse.GetValue(duration) > 0, "--duration must be positive (seconds)");
            Require(parse.GetValue(warmup) >= 0, "--warmup must not be negative");
            Require(parse.GetValue(rate) >= 0, "--rate must not be negative");
            Require(operation == BenchOperation.GetAccount || parse.GetValue(batch) is >= 1 and <= 10_000, "--batch-size must be 1..10000");
            var targets = new List<string>();
            await foreach (var account in Pagers.AccountsAsync(context.Accounts, null, cancel))
            {
                targets.Add(account.AccountId);
                if (targets.Count >= MaxTargets) break;
            }
            if (targets.Count == 0) throw new CliException("no accounts to aim at: load some first (actorcrm demo)");

            var channels = Enumerable.Range(0, parse.GetValue(connections)).Select(_ => host.OpenChannel(context.Address, context.Credentials)).ToList();
            try
            {
                var options = new BenchOptions(operation, parse.GetValue(concurrency), channels.Count,
                    TimeSpan.FromSeconds(parse.GetValue(duration)), parse.GetValue(rate), TimeSpan.FromSeconds(parse.GetValue(warmup)),
                    parse.GetValue(readRatio), parse.GetValue(batch), parse.GetValue(amount), parse.GetValue(occurredAt));
                host.Err.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"bench {name}: {options.Concurrency} in flight over {channels.Count} connections, {(options.Rate > 0 ? $"open loop at {options.Rate:N0}/s" : "closed loop")}, {options.Warmup.TotalSeconds:0.#} s warm-up + {options.Duration.TotalSeconds:0.#} s against {targets.Count:N0} accounts"),
                    Style.Plain);
                var report = await new BenchRunner(channels, targets, options).RunAsync(cancel);
                Write(context, report);
                return report.Requests > 0 && report.Errors < report.Requests ? (report.Errors == 0 ? ExitCodes.Success : ExitCodes.PartialSuccess) : ExitCodes.Failure;
            }
            finally
            {
                foreach (var channel in channels) channel.Dispose();
            }
        }));
        return command;
    }

    private static void Write(CommandContext context, BenchReport report)
    {
        if (context.Json)
        {
            context.Host.OutText.WriteLine(JsonSerializer.Serialize(report));
            context.Host.OutText.Flush();
            return;
        }
        static string F(double v, string format = "0.###") => v.ToString(format, CultureInfo.InvariantCulture);
        var table = new Table().Border(TableBorder.Rounded).AddColumn("measure").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("operation", report.Operation);
        table.AddRow("mode", report.Mode + (report.TargetRate > 0 ? $" @ {F(report.TargetRate, "#,##0")}/s" : ""));
        table.AddRow("concurrency / connections", $"{report.Concurrency} / {report.Connections}");
        table.AddRow("duration (s)", F(report.DurationSeconds));
        table.AddRow("requests", report.Requests.ToString("#,##0", CultureInfo.InvariantCulture));
        table.AddRow("requests/s", F(report.RequestsPerSecond, "#,##0.0"));
        table.AddRow("errors", report.Errors.ToString("#,##0", CultureInfo.InvariantCulture));
        table.AddRow("latency p50 (ms)", F(report.LatencyMs.P50));
        table.AddRow("latency p90 (ms)", F(report.LatencyMs.P90));
        table.AddRow("latency p99 (ms)", F(report.LatencyMs.P99));
        table.AddRow("latency p99.9 (ms)", F(report.LatencyMs.P999));
        table.AddRow("latency max (ms)", F(report.LatencyMs.Max));
        table.AddRow("client CPU (s)", F(report.ClientCpuSeconds));
        foreach (var (kind, count) in report.ErrorKinds) table.AddRow($"errors: {kind}", count.ToString(CultureInfo.InvariantCulture));
        context.Host.Out.Write(table);
    }
}
