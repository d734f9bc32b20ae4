using ActorCrm.Domain.Errors;

namespace ActorCrm.Domain.Validation;

/// <summary>The account hierarchy (group HQ → bureau / province → unit) must stay a forest.</summary>
public static class HierarchyRules
{
    /// <summary>
    /// Checks moving <paramref name="accountId"/> under <paramref name="newParentId"/>, given the new
    /// parent's ancestors from its own parent up to the root. A cycle arises exactly when the account
    /// is the new parent or one of its ancestors.
    /// </summary>
    public static void CheckReparent(string accountId, string newParentId, IReadOnlyList<string> ancestorsOfNewParent)
    {
        if (newParentId == accountId || ancestorsOfNewParent.Contains(accountId))
            throw CrmException.Precondition(
                $"moving account '{accountId}' under '{newParentId}' would create a cycle: '{newParentId}' is below '{accountId}'");
        if (ancestorsOfNewParent.Count + 1 >= Limits.HierarchyDepth)
            throw CrmException.Precondition($"the hierarchy above '{newParentId}' is deeper than {Limits.HierarchyDepth} levels");
    }
}
