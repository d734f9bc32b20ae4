using ActorCrm.Grains;
using Grpc.Core;

namespace ActorCrm.Silo.Security;

/// <summary>
/// Who may call what, and see which accounts. Each gRPC method needs one permission (the table
/// below; a method missing from it needs Administer, so a new method is closed until listed).
/// Account-level checks follow AIP-211: a caller who may not see an account gets PERMISSION_DENIED
/// whether or not the account exists, so denials reveal nothing about other teams' accounts.
/// </summary>
public sealed class AccessPolicy(IGrainFactory grains, Auditor auditor)
{
    /// <summary>Longest parent chain walked (the hierarchy has no cycles; this only bounds a corrupt one).</summary>
    private const int MaxDepth = 64;

    private const Permissions Open = Permissions.None;

    private static readonly Dictionary<string, Permissions> MethodPermissions = new(StringComparer.Ordinal)
    {
        ["/actorcrm.v1.AccountService/CreateAccount"] = Permissions.WriteAccounts,
        ["/actorcrm.v1.AccountService/BatchCreateAccounts"] = Permissions.WriteAccounts,
        ["/actorcrm.v1.AccountService/GetAccount"] = Permissions.ReadAccounts,
        ["/actorcrm.v1.AccountService/UpdateAccount"] = Permissions.WriteAccounts,
        ["/actorcrm.v1.AccountService/DeleteAccount"] = Permissions.WriteAccounts,
        ["/actorcrm.v1.AccountService/ListAccounts"] = Permissions.ReadAccounts,
        ["/actorcrm.v1.AccountService/WatchAccount"] = Permissions.ReadAccounts,
        ["/actorcrm.v1.AccountService/ConfirmIntel"] = Permissions.WriteAccounts,
        ["/actorcrm.v1.ContactService/CreateContact"] = Permissions.WriteAccounts,
        ["/actorcrm.v1.ContactService/GetContact"] = Permissions.ReadAccounts,
        ["/actorcrm.v1.ContactService/UpdateContact"] = Permissions.WriteAccounts,
        ["/actorcrm.v1.ContactService/DeleteContact"] = Permissions.WriteAccounts,
        ["/actorcrm.v1.ContactService/ListContacts"] = Permissions.ReadAccounts,
        ["/actorcrm.v1.ContactService/ErasePersonalData"] = Permissions.WritePersonal,
        ["/actorcrm.v1.OpportunityService/CreateOpportunity"] = Permissions.WriteAccounts,
        ["/actorcrm.v1.OpportunityService/GetOpportunity"] = Permissions.ReadAccounts,
        ["/actorcrm.v1.OpportunityService/UpdateOpportunity"] = Permissions.WriteAccounts,
        ["/actorcrm.v1.OpportunityService/DeleteOpportunity"] = Permissions.WriteAccounts,
        ["/actorcrm.v1.OpportunityService/ListOpportunities"] = Permissions.ReadAccounts,
        ["/actorcrm.v1.OpportunityService/LogActivity"] = Permissions.WriteAccounts,
        ["/actorcrm.v1.OpportunityService/ListActivities"] = Permissions.ReadAccounts,
        // Scoped callers: the service checks the group's root, cuts an owner's rows to what they see, refuses all.
        ["/actorcrm.v1.OpportunityService/GetPipelineSummary"] = Permissions.ReadAccounts,
        ["/actorcrm.v1.RevenueService/RecordRevenue"] = Permissions.WriteRevenue,
        ["/actorcrm.v1.RevenueService/IngestRevenue"] = Permissions.WriteRevenue,
        ["/actorcrm.v1.RevenueService/ListRevenueEvents"] = Permissions.ReadAccounts,
        ["/actorcrm.v1.RankingService/GetConcentration"] = Permissions.ReadAggregates,
        ["/actorcrm.v1.RankingService/ListTopAccounts"] = Permissions.ReadAggregates,
        ["/actorcrm.v1.RankingService/GetAccountRank"] = Permissions.ReadAggregates,
        ["/actorcrm.v1.RankingService/WhatIf"] = Permissions.ReadAggregates,
        ["/actorcrm.v1.RankingService/GetConcentrationHistory"] = Permissions.ReadAggregates,
        ["/actorcrm.v1.RankingService/WatchConcentration"] = Permissions.ReadAggregates,
        ["/actorcrm.v1.AuditService/ListAuditEvents"] = Permissions.Administer,
        ["/grpc.health.v1.Health/Check"] = Open,
        ["/grpc.health.v1.Health/Watch"] = Open,
        ["/grpc.health.v1.Health/List"] = Open,
    };

    /// <summary>
    /// What a method needs: None for health checks (they answer without credentials: load balancers
    /// and orchestrators call them); Administer for reflection, unknown methods and anything new.
    /// </summary>
    public static Permissions Required(string method) =>
        MethodPermissions.TryGetValue(method, out var needed) ? needed : Permissions.Administer;

    public static IReadOnlyCollection<string> ListedMethods => MethodPermissions.Keys;

    public static RpcException Denied(string message) => new(new Status(StatusCode.PermissionDenied, message));

    /// <summary>PERMISSION_DENIED (audited) unless the call's caller may see the account (existing or not).</summary>
    public ValueTask RequireAccountAsync(ServerCallContext context, string accountId) =>
        context.Caller().Scope.IsAll ? ValueTask.CompletedTask : RequireScopedAsync(context, accountId);

    private async ValueTask RequireScopedAsync(ServerCallContext context, string accountId)
    {
        var caller = context.Caller();
        if (await CanSeeAsync(caller, accountId)) return;
        await DenyAsync(caller, context.Method, Auditor.AccountSubject(accountId), $"account {accountId} is outside what {caller.Id} may see");
    }

    /// <summary>Records the denial, then throws PERMISSION_DENIED.</summary>
    public async Task DenyAsync(Caller caller, string method, string subject, string message)
    {
        await auditor.RecordAsync(caller, method, AuditAction.PermissionDenied, subject, [], message);
        throw Denied(message);
    }

    /// <summary>
    /// Whether the account is in the caller's scope: it, or an account above it, is listed in the
    /// caller's key or has the caller as owner or team member. <paramref name="memo"/> shares the
    /// answers for accounts met on the way (a page of siblings walks their parents once).
    /// </summary>
    public async ValueTask<bool> CanSeeAsync(Caller caller, string accountId, Dictionary<string, bool>? memo = null)
    {
        if (caller.Scope.IsAll) return true;
        var path = new List<string>();
        var visible = false;
        for (var id = accountId; id.Length > 0 && path.Count < MaxDepth;)
        {
            if (memo is not null && memo.TryGetValue(id, out var known)) { visible = known; break; }
            path.Add(id);
            if (caller.Scope.Accounts?.Contains(id) == true) { visible = true; break; }
            var access = await grains.GetGrain<IAccountGrain>(id).GetAccessAsync();
            if (access is null) break;
            if (caller.Scope.TeamMember is { } user && access.Includes(user)) { visible = true; break; }
            id = access.ParentAccountId;
        }
        if (memo is not null) foreach (var id in path) memo[id] = visible;
        return visible;
    }

    /// <summary>The items whose account the caller may see, in their order.</summary>
    public async Task<List<T>> VisibleAsync<T>(Caller caller, IEnumerable<T> items, Func<T, string> accountIdOf)
    {
        if (caller.Scope.IsAll) return items.ToList();
        var memo = new Dictionary<string, bool>(StringComparer.Ordinal);
        var visible = new List<T>();
        foreach (var item in items)
            if (await CanSeeAsync(caller, accountIdOf(item), memo)) visible.Add(item);
        return visible;
    }
}

public static class CallerContext
{
    /// <summary>The caller the API interceptor authenticated for this call.</summary>
    public static Caller Caller(this ServerCallContext context) =>
        context.GetHttpContext().Features.Get<Caller>() ?? throw new InvalidOperationException("the call was not authenticated");
}
