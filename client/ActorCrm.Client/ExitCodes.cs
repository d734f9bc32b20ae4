namespace ActorCrm.Client;

/// <summary>The process exit codes of every command.</summary>
public static class ExitCodes
{
    /// <summary>Everything asked for was done.</summary>
    public const int Success = 0;

    /// <summary>Nothing useful was done: the server refused, could not be reached, or the input could not be read.</summary>
    public const int Failure = 1;

    /// <summary>The command line itself was wrong.</summary>
    public const int Usage = 2;

    /// <summary>Partly done: e.g. an import landed its good rows and rejected some.</summary>
    public const int PartialSuccess = 3;
}
