namespace ActorCrm.Grains;

/// <summary>Names of the grain storage providers; which backend serves each is configuration (Storage:Provider).</summary>
public static class StorageNames
{
    /// <summary>Account, contact and activity states: small records.</summary>
    public const string Crm = "crm";

    /// <summary>States that can grow large (directory partitions, later the ranking and ledger ids).</summary>
    public const string Large = "crm-large";
}
