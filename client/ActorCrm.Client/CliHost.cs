using ActorCrm.Api;
using Grpc.Net.Client;
using Spectre.Console;

namespace ActorCrm.Client;

/// <summary>
/// Everything a command touches outside itself: where data goes (<see cref="Out"/>, stdout), where
/// progress, rejects and errors go (<see cref="Err"/>, stderr, so `--output json | jq` stays clean),
/// and how a channel to the silo is opened. Tests pass captured consoles and an in-memory handler.
/// </summary>
public sealed class CliHost(IAnsiConsole @out, TextWriter outText, IAnsiConsole err, Func<string, ActorCrmCredentials?, GrpcChannel> openChannel)
{
    /// <summary>Tables and other rendered data.</summary>
    public IAnsiConsole Out { get; } = @out;

    /// <summary>Raw data lines (JSON), written without wrapping.</summary>
    public TextWriter OutText { get; } = outText;

    /// <summary>Progress bars, per-row reject messages, errors.</summary>
    public IAnsiConsole Err { get; } = err;

    /// <summary>
    /// Opens a channel to the given --address (every call a new channel, i.e. a new connection) with
    /// the credentials given by --api-key/--token or the environment; null = none given, the host decides.
    /// </summary>
    public Func<string, ActorCrmCredentials?, GrpcChannel> OpenChannel { get; } = openChannel;

    public static CliHost ForTerminal()
    {
        var stdout = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        var stderr = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        if (Console.IsOutputRedirected) stdout.Profile.Width = 200;
        if (Console.IsErrorRedirected) stderr.Profile.Width = 200;
        // With no credentials given, a terminal user gets the local admin key a local run provisioned.
        return new CliHost(stdout, Console.Out, stderr,
            (address, credentials) => ActorCrmChannel.Create(address, credentials: credentials ?? ActorCrmCredentials.FromLocalKeyFile()));
    }
}
