using System.Text.Json;
using ActorCrm.Api;
using ActorCrm.Client;
using ActorCrm.IntegrationTests.Infrastructure;
using Spectre.Console;

namespace ActorCrm.IntegrationTests.Cli;

/// <summary>What one in-process run of the CLI produced.</summary>
public sealed record CliRun(int ExitCode, string Out, string Err)
{
    /// <summary>The JSON documents of a `--output json` run, one per line.</summary>
    public IReadOnlyList<JsonElement> JsonLines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Err}";
}

/// <summary>Runs `actorcrm …` in process against a test silo, with captured stdout and stderr.</summary>
public static class CliRunner
{
    public static async Task<CliRun> RunAsync(SiloFactory silo, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var host = new CliHost(Console(stdout), stdout, Console(stderr),
            (_, credentials) => silo.ChannelAs(credentials ?? TestKeys.AdminCredentials));
        var exit = await ActorCrm.Client.Cli.RunAsync(args, host);
        return new CliRun(exit, stdout.ToString(), stderr.ToString());
    }

    private static IAnsiConsole Console(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 250;
        return console;
    }
}
