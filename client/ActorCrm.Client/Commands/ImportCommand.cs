using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using ActorCrm.Client.Import;
using Spectre.Console;

namespace ActorCrm.Client.Commands;

/// <summary>`actorcrm import accounts|contacts|opportunities|activities|revenue FILE`</summary>
public static class ImportCommand
{
    public static readonly Option<FileFormat> Format = new("--format")
    {
        Description = "csv or jsonl; by default from the file's extension (.csv, .jsonl/.ndjson/.json)",
        DefaultValueFactory = _ => FileFormat.Auto,
    };

    public static Command Create(CliHost host)
    {
        var import = new Command("import", "Load a CSV (with header) or JSON Lines file; re-running the same file changes nothing");
        foreach (var kind in Enum.GetValues<ImportKind>()) import.Subcommands.Add(Sub(host, kind));
        return import;
    }

    private static Command Sub(CliHost host, ImportKind kind)
    {
        var file = new Argument<string>("file") { Description = "the CSV or JSON Lines file" };
        var rejects = new Option<string>("--rejects") { Description = "where rejected rows go (default FILE.rejects.csv)" };
        var concurrency = new Option<int>("--concurrency") { Description = "rows written in parallel", DefaultValueFactory = _ => 16 };
        var batch = new Option<int>("--batch-size") { Description = "revenue events per IngestRevenue batch (1..10000)", DefaultValueFactory = _ => 2000 };
        var noProgress = new Option<bool>("--no-progress") { Description = "no progress bar" };
        var command = new Command(kind.Name(), $"Import {kind.Name()} (upsert); columns: {string.Join(", ", kind.Columns().Select(c => c.Name))}")
        {
            file, Format, rejects, concurrency, noProgress,
        };
        if (kind == ImportKind.Revenue) command.Options.Add(batch);
        command.SetAction((parse, cancel) => GlobalOptions.RunAsync(host, parse, async context =>
        {
            var path = parse.GetValue(file)!;
            var source = new FileRecordSource(kind, path, parse.GetValue(Format));
            using var rejectsFile = new RejectsFile(parse.GetValue(rejects) ?? path + ".rejects.csv");
            var options = new ImportOptions(
                Concurrency: Math.Max(1, parse.GetValue(concurrency)),
                BatchSize: kind == ImportKind.Revenue ? parse.GetValue(batch) : 1,
                Progress: !parse.GetValue(noProgress));
            var summary = await new Importer(host, context.Channel, options).RunAsync(kind, source, rejectsFile, cancel);
            WriteSummaries(context, [summary]);
            return summary.ExitCode;
        }));
        return command;
    }

    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void WriteSummaries(CommandContext context, IReadOnlyList<ImportSummary> summaries)
    {
        var host = context.Host;
        if (context.Json)
        {
            foreach (var summary in summaries) host.OutText.WriteLine(JsonSerializer.Serialize(summary, Json));
            host.OutText.Flush();
            return;
        }
        var table = new Table().Border(TableBorder.Rounded).AddColumn("kind");
        foreach (var name in new[] { "rows", "created", "updated", "unchanged", "rejected", "expired", "seconds", "rows/s" })
            table.AddColumn(new TableColumn(name).RightAligned());
        static string N(long n) => n.ToString("#,##0", CultureInfo.InvariantCulture);
        foreach (var s in summaries)
            table.AddRow(s.Kind, N(s.Rows), N(s.Created), N(s.Updated), N(s.Unchanged), N(s.Rejected), N(s.Expired),
                s.Seconds.ToString("0.0", CultureInfo.InvariantCulture), N((long)s.RowsPerSecond));
        host.Out.Write(table);
        foreach (var s in summaries.Where(s => s.RejectsFile is not null))
            host.Out.WriteLine($"{s.Rejected} rejected {s.Kind} rows written to {s.RejectsFile}");
    }
}
