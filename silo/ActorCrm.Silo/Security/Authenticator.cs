using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ActorCrm.Silo.Security;

/// <summary>
/// Turns a request's credentials into a <see cref="Caller"/>: an API key (header x-api-key, or
/// "authorization: Bearer KEY") looked up by its SHA-256, or a JWT bearer token validated against
/// Auth:Jwt. Verified credentials are cached (keys until restart, tokens until they expire), so a
/// call pays a dictionary lookup, not a hash or a signature check.
/// </summary>
public sealed class Authenticator
{
    private const int MaxCachedTokens = 10_000;

    private readonly AuthOptions _options;
    private readonly Dictionary<string, Caller> _callersByKeyHash;
    private readonly ConcurrentDictionary<string, Caller> _verifiedKeys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (Caller Caller, DateTime Expires)> _verifiedTokens = new(StringComparer.Ordinal);
    private readonly JsonWebTokenHandler _tokens = new();
    private readonly TokenValidationParameters? _tokenValidation;

    public Authenticator(IOptions<AuthOptions> options)
    {
        _options = options.Value;
        _callersByKeyHash = _options.ApiKeys.ToDictionary(
            pair => pair.Value.Sha256.ToLowerInvariant(),
            pair => CallerOf(pair.Key, pair.Value) with { RequestsPerSecond = pair.Value.RequestsPerSecond },
            StringComparer.Ordinal);
        if (_options.Jwt is { } jwt)
        {
            _tokenValidation = new TokenValidationParameters
            {
                ValidIssuer = jwt.Issuer,
                ValidAudience = jwt.Audience,
                IssuerSigningKeys = jwt.SigningKeys.Select(SigningKey).ToList(),
                ValidateLifetime = true,
                RequireExpirationTime = true,
                ClockSkew = TimeSpan.FromMinutes(1),
            };
        }
    }

    public bool Enabled => _options.Mode == AuthMode.Required;

    /// <summary>The caller, or null with the reason when the credentials are missing or not valid.</summary>
    public ValueTask<AuthResult> AuthenticateAsync(HttpContext http)
    {
        if (!Enabled) return ValueTask.FromResult(new AuthResult(Caller.Anonymous, null));
        var headers = http.Request.Headers;
        if (headers.TryGetValue(ActorCrm.Api.ActorCrmCredentials.ApiKeyHeader, out var apiKey) && apiKey.Count == 1)
            return ValueTask.FromResult(ByKey(apiKey[0]!));
        if (headers.Authorization is { Count: 1 } authorization && authorization[0] is { } value
            && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var credential = value.AsSpan(7).Trim().ToString();
            return credential.Count(c => c == '.') == 2 ? ByTokenAsync(credential) : ValueTask.FromResult(ByKey(credential));
        }
        return ValueTask.FromResult(AuthResult.Fail("no credentials: send an API key (x-api-key) or a bearer token"));
    }

    private AuthResult ByKey(string key)
    {
        if (_verifiedKeys.TryGetValue(key, out var known)) return new AuthResult(known, null);
        if (!_callersByKeyHash.TryGetValue(Sha256Hex(key), out var caller)) return AuthResult.Fail("the API key is not valid");
        _verifiedKeys[key] = caller; // only valid keys are cached: a flood of wrong keys cannot grow it
        return new AuthResult(caller, null);
    }

    private async ValueTask<AuthResult> ByTokenAsync(string token)
    {
        if (_verifiedTokens.TryGetValue(token, out var cached))
        {
            if (cached.Expires > DateTime.UtcNow) return new AuthResult(cached.Caller, null);
            _verifiedTokens.TryRemove(token, out _);
        }
        if (_tokenValidation is null) return AuthResult.Fail("bearer tokens are not accepted by this silo");
        var result = await _tokens.ValidateTokenAsync(token, _tokenValidation);
        if (!result.IsValid) return AuthResult.Fail("the bearer token is not valid: " + (result.Exception?.GetType().Name ?? "rejected"));
        var jwt = _options.Jwt!;
        var user = result.Claims.TryGetValue(jwt.UserClaim, out var u) ? u?.ToString() : null;
        var roleName = result.Claims.TryGetValue(jwt.RoleClaim, out var r) ? r?.ToString() : null;
        if (string.IsNullOrWhiteSpace(user)) return AuthResult.Fail($"the bearer token has no '{jwt.UserClaim}' claim");
        if (roleName is null || !Roles.ByName.TryGetValue(roleName, out var role) || role == Role.Service)
            return AuthResult.Fail($"the bearer token's '{jwt.RoleClaim}' claim must be admin, sales_director, account_manager or analyst");
        var caller = new Caller(user, role, Roles.PermissionsOf(role), role == Role.AccountManager ? AccountScope.TeamOf(user) : AccountScope.All);
        if (_verifiedTokens.Count >= MaxCachedTokens) _verifiedTokens.Clear();
        _verifiedTokens[token] = (caller, result.SecurityToken.ValidTo);
        return new AuthResult(caller, null);
    }

    private static Caller CallerOf(string name, ApiKeyOptions key)
    {
        var role = Roles.ByName[key.Role];
        var user = string.IsNullOrWhiteSpace(key.UserId) ? name : key.UserId;
        return role switch
        {
            Role.Service => new Caller(name, role,
                key.Permissions.Aggregate(Permissions.None, (all, p) => all | Roles.PermissionsByName[p]),
                key.Accounts.Length == 0 ? AccountScope.All : AccountScope.Listed(key.Accounts)),
            Role.AccountManager => new Caller(user, role, Roles.PermissionsOf(role), AccountScope.TeamOf(user)),
            _ => new Caller(user, role, Roles.PermissionsOf(role), AccountScope.All),
        };
    }

    public static string Sha256Hex(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static SecurityKey SigningKey(string text)
    {
        text = text.Trim();
        if (!text.StartsWith("-----BEGIN", StringComparison.Ordinal)) return new SymmetricSecurityKey(Convert.FromBase64String(text));
        try
        {
            var rsa = RSA.Create();
            rsa.ImportFromPem(text);
            return new RsaSecurityKey(rsa);
        }
        catch (ArgumentException)
        {
            var ec = ECDsa.Create();
            ec.ImportFromPem(text);
            return new ECDsaSecurityKey(ec);
        }
    }
}

/// <summary>An authenticated caller, or why not.</summary>
public readonly record struct AuthResult(Caller? Caller, string? Failure)
{
    public static AuthResult Fail(string why) => new(null, why);
}
