namespace ActorCrm.Client;

/// <summary>A failure the user can act on, with its exit code.</summary>
public sealed class CliException(string message, int exitCode = ExitCodes.Failure) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>--output: tables for people, JSON (the proto's snake_case names) for scripts.</summary>
public enum OutputFormat { Table, Json }
