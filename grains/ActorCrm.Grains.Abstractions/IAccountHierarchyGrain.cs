using ActorCrm.Domain.Model;

namespace ActorCrm.Grains;

/// <summary>
/// Serializes re-parenting (rare) in one place so that two concurrent moves can never form a
/// cycle: it walks the new parent's ancestors and applies the move before taking the next one.
/// Creating an account under a parent and deleting one need no coordination: the parent itself
/// records its children, so those checks are atomic on the parent grain.
/// </summary>
[Alias("actorcrm.IAccountHierarchyGrain")]
public interface IAccountHierarchyGrain : IGrainWithIntegerKey
{
    public const long Key = 0;

    [Alias("Move")] Task<AccountView> MoveAsync(Account account, string expectedEtag);
}
