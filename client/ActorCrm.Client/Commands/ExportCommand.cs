using Spectre.Console;
using System.CommandLine;
using ActorCrm.Client.Export;
using ActorCrm.Client.Import;

namespace ActorCrm.Client.Commands;

/// <summary>`actorcrm export accounts|contacts|opportunities|activities|revenue FILE` — the import formats, out.</summary>
public static class ExportCommand
{
    public static readonly ImportKind[] Exportable = [ImportKind.Accounts, ImportKind.Contacts, ImportKind.Opportunities, ImportKind.Activities, ImportKind.Revenue];

    public static Command Create(CliHost host)
    {
        var export = new Command("export", "Write resources as CSV or JSON Lines (the formats import reads)");
        foreach (var kind in Exportable) export.Subcommands.Add(Sub(host, kind));
        return export;
    }

    private static Command Sub(CliHost host, ImportKind kind)
    {
        var file = new Argument<string>("file") { Description = "the file to write (\"-\" for stdout, JSON Lines unless --format csv)" };
        var format = new Option<FileFormat>("--format")
        {
            Description = "csv or jsonl; by default from the file's extension",
            DefaultValueFactory = _ => FileFormat.Auto,
        };
        var command = new Command(kind.Name(), kind == ImportKind.Revenue ? "Export every revenue event still inside the window" : $"Export every {kind.Name()[..^1]}") { file, format };
        command.SetAction((parse, cancel) => GlobalOptions.RunAsync(host, parse, async context =>
        {
            var path = parse.GetValue(file)!;
            var chosen = parse.GetValue(format);
            long count;
            if (path == "-")
            {
                count = await Exporter.ExportAsync(context.Channel, kind, host.OutText, chosen == FileFormat.Auto ? FileFormat.Jsonl : chosen, cancel);
            }
            else
            {
                var resolved = FileRecordSource.Resolve(path, chosen);
                await using var writer = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false));
                count = await Exporter.ExportAsync(context.Channel, kind, writer, resolved, cancel);
            }
            host.Err.WriteLine($"exported {count} {kind.Name()}{(path == "-" ? "" : " to " + path)}", Style.Plain);
            return ExitCodes.Success;
        }));
        return command;
    }
}
