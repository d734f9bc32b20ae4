using System.Security.Claims;
using ActorCrm.Api;
using ActorCrm.Api.V1;
using ActorCrm.IntegrationTests.Api;
using ActorCrm.IntegrationTests.Infrastructure;
using Grpc.Net.Client;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ActorCrm.IntegrationTests.Security;

/// <summary>
/// A silo that trusts the test keys and JWTs signed with <see cref="SigningSecret"/>, with a small
/// book: "scope-root" (+ "scope-child") for the scoped service key, "mgr-own" (owner mgr-li) with
/// "mgr-own-sub", "mgr-team" (mgr-li on the team) and "other-acct" (nobody the tests act as); one
/// contact with a personal profile on each of mgr-own, other-acct and scope-root.
/// </summary>
public sealed class SecuritySiloFactory : SiloFactory, IAsyncLifetime
{
    public const string Issuer = "https://idp.example";
    public const string Audience = "actorcrm";
    public static readonly byte[] SigningSecret = "a-test-signing-secret-of-at-least-32-bytes!!"u8.ToArray();

    public const string OwnContact = "contact-mgr-own";
    public const string OtherContact = "contact-other";
    public const string ScopeContact = "contact-scope";

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Auth:Jwt:Issuer"] = Issuer,
        ["Auth:Jwt:Audience"] = Audience,
        ["Auth:Jwt:SigningKeys:0"] = Convert.ToBase64String(SigningSecret),
    };

    public GrpcChannel As(string apiKey) => ChannelAs(ActorCrmCredentials.ApiKey(apiKey));

    public static string Token(string user, string role, DateTime? expires = null, string issuer = Issuer) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = Audience,
            Subject = new ClaimsIdentity([new Claim("sub", user), new Claim("role", role)]),
            NotBefore = (expires ?? DateTime.UtcNow.AddHours(1)).AddHours(-2),
            Expires = expires ?? DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(SigningSecret), SecurityAlgorithms.HmacSha256),
        });

    public async Task InitializeAsync()
    {
        var accounts = Accounts;
        async Task Create(string id, string parent, string owner, params string[] team)
        {
            var account = AccountApiTests.NewAccount(id, parent);
            account.Owner = owner;
            account.AccountTeam.Clear();
            foreach (var user in team) account.AccountTeam.Add(new TeamMember { UserId = user, Role = TeamRole.AccountManager });
            await accounts.CreateAccountAsync(new CreateAccountRequest { Account = account });
        }
        await Create(TestKeys.ScopedServiceRoot, "", "u-zhou");
        await Create("scope-child", TestKeys.ScopedServiceRoot, "u-zhou");
        await Create("mgr-own", "", TestKeys.ManagerUserId);
        await Create("mgr-own-sub", "mgr-own", "u-zhou");
        await Create("mgr-team", "", "u-zhou", TestKeys.ManagerUserId);
        await Create("other-acct", "", "u-zhou", "u-wu");
        await Contacts.CreateContactAsync(new CreateContactRequest { Contact = ContactAndOpportunityApiTests.NewContact(OwnContact, "mgr-own") });
        await Contacts.CreateContactAsync(new CreateContactRequest { Contact = ContactAndOpportunityApiTests.NewContact(OtherContact, "other-acct") });
        await Contacts.CreateContactAsync(new CreateContactRequest { Contact = ContactAndOpportunityApiTests.NewContact(ScopeContact, TestKeys.ScopedServiceRoot) });
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
}
