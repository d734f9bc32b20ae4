namespace ActorCrm.Grains;

/// <summary>Names of the grain storage providers; which backend serves each is configuration (Storage:Provider).</summary>
public static class StorageNames
{
    /// <summary>Account, contact and activity states: small records.</summary>
    public const string Crm = "crm";

    /// <summary>
    /// The account grain's profile: stored through the profile partitions (IProfilePartitionGrain),
    /// which keep them in group-committed logs and chunks on <see cref="Large"/>.
    /// </summary>
    public const string AccountProfiles = "crm-account-profiles";

    /// <summary>States that can grow large (directory partitions, later the ranking and ledger ids).</summary>
    public const string Large = "crm-large";
}
