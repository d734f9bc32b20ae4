using ActorCrm.Api;
using ActorCrm.Silo.Security;

namespace ActorCrm.IntegrationTests.Infrastructure;

/// <summary>
/// The API keys every test silo trusts (configured by their SHA-256, as in production), one per role.
/// Test channels call as <see cref="Admin"/> unless a test asks for another caller.
/// </summary>
public static class TestKeys
{
    public const string Admin = "test-admin-key-6f1d2c3b4a5e";
    public const string Director = "test-director-key-8a7b6c5d4e3f";
    public const string Analyst = "test-analyst-key-1a2b3c4d5e6f";
    /// <summary>An account manager acting as user "mgr-li".</summary>
    public const string Manager = "test-manager-key-9f8e7d6c5b4a";
    public const string ManagerUserId = "mgr-li";
    /// <summary>A service limited to the accounts under "scope-root", allowed to read and write accounts and record revenue.</summary>
    public const string ScopedService = "test-service-key-0a9b8c7d6e5f";
    public const string ScopedServiceRoot = "scope-root";

    /// <summary>An analyst limited to 20 calls per second (the default limit applies to the others but the admin).</summary>
    public const string Limited = "test-limited-key-3c4d5e6f7a8b";

    public static ActorCrmCredentials AdminCredentials { get; } = ActorCrmCredentials.ApiKey(Admin);

    /// <summary>The Auth:* settings that make a silo trust these keys.</summary>
    public static IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Auth:ApiKeys:test-admin:Sha256"] = Authenticator.Sha256Hex(Admin),
        ["Auth:ApiKeys:test-admin:Role"] = "admin",
        ["Auth:ApiKeys:test-admin:RequestsPerSecond"] = "0", // tests load data as fast as they can
        ["Auth:ApiKeys:test-limited:Sha256"] = Authenticator.Sha256Hex(Limited),
        ["Auth:ApiKeys:test-limited:Role"] = "analyst",
        ["Auth:ApiKeys:test-limited:RequestsPerSecond"] = "20",
        ["Auth:ApiKeys:test-director:Sha256"] = Authenticator.Sha256Hex(Director),
        ["Auth:ApiKeys:test-director:Role"] = "sales_director",
        ["Auth:ApiKeys:test-analyst:Sha256"] = Authenticator.Sha256Hex(Analyst),
        ["Auth:ApiKeys:test-analyst:Role"] = "analyst",
        ["Auth:ApiKeys:test-manager:Sha256"] = Authenticator.Sha256Hex(Manager),
        ["Auth:ApiKeys:test-manager:Role"] = "account_manager",
        ["Auth:ApiKeys:test-manager:UserId"] = ManagerUserId,
        ["Auth:ApiKeys:test-service:Sha256"] = Authenticator.Sha256Hex(ScopedService),
        ["Auth:ApiKeys:test-service:Role"] = "service",
        ["Auth:ApiKeys:test-service:Accounts:0"] = ScopedServiceRoot,
        ["Auth:ApiKeys:test-service:Permissions:0"] = "read_accounts",
        ["Auth:ApiKeys:test-service:Permissions:1"] = "write_accounts",
        ["Auth:ApiKeys:test-service:Permissions:2"] = "write_revenue",
    };
}
