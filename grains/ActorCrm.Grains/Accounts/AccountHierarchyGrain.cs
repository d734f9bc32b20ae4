using ActorCrm.Domain.Errors;
using ActorCrm.Domain.Model;
using ActorCrm.Domain.Validation;
using Microsoft.Extensions.Logging;

namespace ActorCrm.Grains.Accounts;

/// <summary>
/// The one place where accounts change parent. It is not reentrant, so moves are applied one at
/// a time: the ancestor walk of one move always sees the result of the previous move, and two
/// racing moves (A under B, B under A) can never both pass. Moves are rare; reads and every other
/// command never come here.
/// </summary>
public sealed class AccountHierarchyGrain(ILogger<AccountHierarchyGrain> logger) : Grain, IAccountHierarchyGrain
{
    public async Task<AccountView> MoveAsync(Account account, string expectedEtag)
    {
        var newParent = account.ParentAccountId;
        if (newParent.Length > 0)
        {
            var ancestors = await AncestorsOfAsync(newParent);
            HierarchyRules.CheckReparent(account.AccountId, newParent, ancestors);
        }
        logger.LogInformation("Moving account {AccountId} under {ParentAccountId}", account.AccountId, newParent);
        return await GrainFactory.GetGrain<IAccountGrain>(account.AccountId).ApplyMoveAsync(account, expectedEtag);
    }

    /// <summary>The ancestors of <paramref name="accountId"/>, from its parent up to the root.</summary>
    private async Task<IReadOnlyList<string>> AncestorsOfAsync(string accountId)
    {
        var parent = await GrainFactory.GetGrain<IAccountGrain>(accountId).GetParentAsync()
            ?? throw CrmException.Precondition($"parent account '{accountId}' does not exist");
        var ancestors = new List<string>();
        while (parent is { Length: > 0 } && ancestors.Count <= Limits.HierarchyDepth && !ancestors.Contains(parent))
        {
            ancestors.Add(parent);
            parent = await GrainFactory.GetGrain<IAccountGrain>(parent).GetParentAsync();
        }
        return ancestors;
    }
}
