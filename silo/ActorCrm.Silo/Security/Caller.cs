namespace ActorCrm.Silo.Security;

/// <summary>What a caller may do, independent of which accounts (that is <see cref="AccountScope"/>).</summary>
[Flags]
public enum Permissions
{
    None = 0,
    /// <summary>Account, contact (without personal profile), opportunity, activity and revenue-event reads.</summary>
    ReadAccounts = 1,
    /// <summary>Creating, changing and deleting accounts, contacts, opportunities and activities.</summary>
    WriteAccounts = 2,
    /// <summary>Seeing contacts' personal profiles.</summary>
    ReadPersonal = 4,
    /// <summary>Writing and erasing contacts' personal profiles.</summary>
    WritePersonal = 8,
    /// <summary>Recording revenue events.</summary>
    WriteRevenue = 16,
    /// <summary>Concentration figures, top-account lists, what-if, history.</summary>
    ReadAggregates = 32,
    /// <summary>The audit trail, reflection, /metrics, the Orleans dashboard.</summary>
    Administer = 64,
    All = ReadAccounts | WriteAccounts | ReadPersonal | WritePersonal | WriteRevenue | ReadAggregates | Administer,
}

/// <summary>The roles of actorcrm.v1 (see the README's Security section for the table).</summary>
public enum Role { Admin, SalesDirector, AccountManager, Analyst, Service }

public static class Roles
{
    public static readonly IReadOnlyDictionary<string, Role> ByName = new Dictionary<string, Role>(StringComparer.Ordinal)
    {
        ["admin"] = Role.Admin,
        ["sales_director"] = Role.SalesDirector,
        ["account_manager"] = Role.AccountManager,
        ["analyst"] = Role.Analyst,
        ["service"] = Role.Service,
    };

    public static readonly IReadOnlyDictionary<string, Permissions> PermissionsByName = new Dictionary<string, Permissions>(StringComparer.Ordinal)
    {
        ["read_accounts"] = Permissions.ReadAccounts,
        ["write_accounts"] = Permissions.WriteAccounts,
        ["read_personal"] = Permissions.ReadPersonal,
        ["write_personal"] = Permissions.WritePersonal,
        ["write_revenue"] = Permissions.WriteRevenue,
        ["read_aggregates"] = Permissions.ReadAggregates,
    };

    public static string Name(this Role role) => ByName.First(pair => pair.Value == role).Key;

    /// <summary>What a person in this role may do; a service's permissions come from its key's configuration instead.</summary>
    public static Permissions PermissionsOf(Role role) => role switch
    {
        Role.Admin => Permissions.All,
        Role.SalesDirector => Permissions.All & ~Permissions.Administer,
        Role.AccountManager => Permissions.ReadAccounts | Permissions.WriteAccounts | Permissions.ReadPersonal
                               | Permissions.WritePersonal | Permissions.ReadAggregates,
        Role.Analyst => Permissions.ReadAccounts | Permissions.ReadAggregates,
        _ => Permissions.None,
    };
}

/// <summary>Which accounts a caller may see: all, those of its account teams (with their sub-accounts), or listed ones (with theirs).</summary>
public sealed class AccountScope
{
    public static readonly AccountScope All = new(null, null);

    private AccountScope(string? teamMember, IReadOnlySet<string>? accounts)
    {
        TeamMember = teamMember;
        Accounts = accounts;
    }

    /// <summary>Set for an account manager: accounts where this user is owner or on the team, plus their sub-accounts.</summary>
    public string? TeamMember { get; }

    /// <summary>Set for a scoped service key: these accounts and their sub-accounts.</summary>
    public IReadOnlySet<string>? Accounts { get; }

    public bool IsAll => TeamMember is null && Accounts is null;

    public static AccountScope TeamOf(string userId) => new(userId, null);

    public static AccountScope Listed(IEnumerable<string> accountIds) => new(null, accountIds.ToHashSet(StringComparer.Ordinal));
}

/// <summary>An authenticated caller: who (a user id or the API key's name), in which role, allowed what, over which accounts.</summary>
public sealed record Caller(string Id, Role Role, Permissions Permissions, AccountScope Scope)
{
    /// <summary>The caller when authentication is off (Auth:Mode=None): an administrator.</summary>
    public static readonly Caller Anonymous = new("anonymous", Role.Admin, Permissions.All, AccountScope.All) { RequestsPerSecond = 0 };

    public bool Can(Permissions needed) => (Permissions & needed) == needed;

    /// <summary>This caller's own calls-per-second limit (from its API key); null = RateLimits:RequestsPerSecond, 0 = unlimited.</summary>
    public int? RequestsPerSecond { get; init; }
}
