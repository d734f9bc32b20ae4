using Spectre.Console;
using System.CommandLine;
using ActorCrm.Client.Commands;

namespace ActorCrm.Client;

/// <summary>
/// The `actorcrm` command tree. Each command group lives in its own file under Commands/ and is
/// built from the shared <see cref="CliHost"/>; adding a group is one line here.
/// Exit codes: see <see cref="ExitCodes"/>.
/// </summary>
public static class Cli
{
    public static RootCommand Build(CliHost host)
    {
        var root = new RootCommand("actorcrm — the ActorCrm command-line client")
        {
            GlobalOptions.Address,
            GlobalOptions.ApiKey,
            GlobalOptions.Token,
            GlobalOptions.Output,
        };
        root.Subcommands.Add(DemoCommand.Create(host));
        root.Subcommands.Add(ImportCommand.Create(host));
        root.Subcommands.Add(ExportCommand.Create(host));
        root.Subcommands.Add(GetCommand.Create(host));
        root.Subcommands.Add(ListCommand.Create(host));
        root.Subcommands.Add(RankingCommands.Top(host));
        root.Subcommands.Add(RankingCommands.Concentration(host));
        root.Subcommands.Add(RankingCommands.WhatIf(host));
        root.Subcommands.Add(InsightsCommand.Create(host));
        root.Subcommands.Add(ConfirmCommand.Create(host));
        root.Subcommands.Add(PipelineCommand.Create(host));
        root.Subcommands.Add(BenchCommand.Create(host));
        root.Subcommands.Add(WatchCommand.Create(host));
        return root;
    }

    /// <summary>Parses and runs one command line; usage errors exit with <see cref="ExitCodes.Usage"/>.</summary>
    public static async Task<int> RunAsync(string[] args, CliHost host, CancellationToken cancel = default)
    {
        var parse = Build(host).Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) host.Err.WriteLine(error.Message, Style.Plain);
            return ExitCodes.Usage;
        }
        var config = new InvocationConfiguration { Output = host.OutText, Error = Console.Error, EnableDefaultExceptionHandler = false };
        return await parse.InvokeAsync(config, cancel);
    }
}
