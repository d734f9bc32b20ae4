namespace ActorCrm.Silo.Security;

/// <summary>
/// Auth:* settings. The silo refuses to start in the default mode (Required) unless at least one
/// way to authenticate is configured: API keys, a JWT issuer, or a local admin key file.
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>Required (default) or None: every caller is an anonymous admin (a local experiment only).</summary>
    public AuthMode Mode { get; set; } = AuthMode.Required;

    /// <summary>
    /// A file holding the local admin's API key, created with a random key (mode 0600) if missing;
    /// tools/run.sh sets it to .state/admin-api-key, where the actorcrm client finds it.
    /// </summary>
    public string? LocalAdminKeyFile { get; set; }

    /// <summary>API keys by name (the name is the caller id in the audit trail).</summary>
    public Dictionary<string, ApiKeyOptions> ApiKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Bearer tokens for people; null = not accepted.</summary>
    public JwtOptions? Jwt { get; set; }

    /// <summary>
    /// When true, /metrics and the Orleans dashboard answer callers on the loopback interface without
    /// credentials (for a local Prometheus); otherwise they need an admin key or token.
    /// </summary>
    public bool OperatorEndpointsOpenOnLoopback { get; set; }

    public bool HasAnyAuthenticator => ApiKeys.Count > 0 || Jwt is not null || !string.IsNullOrWhiteSpace(LocalAdminKeyFile);

    public IEnumerable<string> Problems()
    {
        if (Mode == AuthMode.Required && !HasAnyAuthenticator)
            yield return "no authentication is configured: set Auth:ApiKeys, Auth:Jwt or Auth:LocalAdminKeyFile, or start with --Auth:Mode=None for a local experiment";
        foreach (var (name, key) in ApiKeys)
        {
            if (key.Sha256 is not { Length: 64 } || !key.Sha256.All(Uri.IsHexDigit))
                yield return $"Auth:ApiKeys:{name}:Sha256 must be the 64 hex digits of the key's SHA-256";
            if (!Roles.ByName.TryGetValue(key.Role ?? "", out var role))
                yield return $"Auth:ApiKeys:{name}:Role must be one of {string.Join(", ", Roles.ByName.Keys)}";
            else if (role == Role.Service && key.Permissions.Length == 0)
                yield return $"Auth:ApiKeys:{name}:Permissions must list what the service may do ({string.Join(", ", Roles.PermissionsByName.Keys)})";
            foreach (var permission in key.Permissions.Where(p => !Roles.PermissionsByName.ContainsKey(p)))
                yield return $"Auth:ApiKeys:{name}:Permissions: unknown permission '{permission}'";
        }
        if (Jwt is { } jwt)
        {
            if (string.IsNullOrWhiteSpace(jwt.Issuer)) yield return "Auth:Jwt:Issuer is required";
            if (string.IsNullOrWhiteSpace(jwt.Audience)) yield return "Auth:Jwt:Audience is required";
            if (jwt.SigningKeys.Length == 0) yield return "Auth:Jwt:SigningKeys must hold at least one key";
        }
    }
}

public enum AuthMode { Required, None }

/// <summary>One API key: its SHA-256 (never the key itself), role, and for scoped keys the accounts.</summary>
public sealed class ApiKeyOptions
{
    /// <summary>Hex SHA-256 of the key's UTF-8 bytes (e.g. `printf %s "$KEY" | sha256sum`).</summary>
    public string Sha256 { get; set; } = "";

    /// <summary>admin, sales_director, account_manager, analyst or service.</summary>
    public string Role { get; set; } = "";

    /// <summary>The user id an account_manager key acts as (owner/team membership); defaults to the key's name.</summary>
    public string? UserId { get; set; }

    /// <summary>For a service: the accounts (each with its sub-accounts) it may touch; empty = all.</summary>
    public string[] Accounts { get; set; } = [];

    /// <summary>For a service: read_accounts, write_accounts, read_personal, write_personal, write_revenue, read_aggregates.</summary>
    public string[] Permissions { get; set; } = [];

    /// <summary>This key's calls per second, instead of RateLimits:RequestsPerSecond; 0 = unlimited.</summary>
    public int? RequestsPerSecond { get; set; }
}

/// <summary>JWT bearer tokens for people: the user id and role come from the token's claims.</summary>
public sealed class JwtOptions
{
    public string Issuer { get; set; } = "";

    public string Audience { get; set; } = "";

    /// <summary>Verification keys: a PEM public key (RSA or EC) or a base64 HMAC secret of at least 32 bytes.</summary>
    public string[] SigningKeys { get; set; } = [];

    public string UserClaim { get; set; } = "sub";

    public string RoleClaim { get; set; } = "role";
}
