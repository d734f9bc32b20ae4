namespace ActorCrm.Api;

/// <summary>
/// What a client presents on every call: an API key (header <c>x-api-key</c>, for services and
/// tools) or a bearer token (header <c>authorization: Bearer …</c>, for people).
/// </summary>
public sealed record ActorCrmCredentials(string HeaderName, string HeaderValue)
{
    public const string ApiKeyHeader = "x-api-key";

    /// <summary>Environment variables a client reads when no credential is given on its command line.</summary>
    public const string ApiKeyVariable = "ACTORCRM_API_KEY";
    public const string TokenVariable = "ACTORCRM_TOKEN";

    /// <summary>Where a local run (tools/run.sh) keeps the admin key it provisions, relative to the repository.</summary>
    public const string LocalAdminKeyPath = ".state/admin-api-key";

    public static ActorCrmCredentials ApiKey(string key) => new(ApiKeyHeader, key.Trim());

    public static ActorCrmCredentials Bearer(string token) => new("authorization", "Bearer " + token.Trim());

    /// <summary>An explicit key or token, else ACTORCRM_API_KEY / ACTORCRM_TOKEN, else null.</summary>
    public static ActorCrmCredentials? FromArgumentsOrEnvironment(string? apiKey, string? token)
    {
        if (!string.IsNullOrWhiteSpace(apiKey)) return ApiKey(apiKey);
        if (!string.IsNullOrWhiteSpace(token)) return Bearer(token);
        if (Environment.GetEnvironmentVariable(ApiKeyVariable) is { Length: > 0 } envKey) return ApiKey(envKey);
        if (Environment.GetEnvironmentVariable(TokenVariable) is { Length: > 0 } envToken) return Bearer(envToken);
        return null;
    }

    /// <summary>
    /// The local admin key a local run provisioned: <see cref="LocalAdminKeyPath"/> in the current
    /// directory or the nearest parent that has one (so the client works from anywhere in the
    /// repository); null when there is none.
    /// </summary>
    public static ActorCrmCredentials? FromLocalKeyFile(string? startDirectory = null)
    {
        for (var dir = new DirectoryInfo(startDirectory ?? Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            var file = Path.Combine(dir.FullName, LocalAdminKeyPath);
            if (File.Exists(file) && File.ReadAllText(file).Trim() is { Length: > 0 } key) return ApiKey(key);
        }
        return null;
    }

    /// <summary>What a tool uses when told nothing: arguments, then environment, then the local key file.</summary>
    public static ActorCrmCredentials? Discover(string? apiKey = null, string? token = null) =>
        FromArgumentsOrEnvironment(apiKey, token) ?? FromLocalKeyFile();
}
