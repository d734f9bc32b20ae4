namespace ActorCrm.Domain.Validation;

/// <summary>
/// Bounds on every text and list. They keep each grain state well under the Azure Table entity
/// limit (~960 KB, rewritten whole on every write) and a serialized account profile under 256 KB.
/// </summary>
public static class Limits
{
    public const int IdLength = 64;
    public const int NameLength = 200;
    public const int LongTextLength = 4000;
    public const int ProfileTextLength = 2000;

    public const int TeamMembers = 50;
    public const int OrganisationUnits = 200;
    public const int Channels = 20;
    public const int InstalledBaseItems = 200;
    public const int Competitors = 50;
    public const int ProductsInUse = 50;
    public const int ProfileListItems = 20;

    public const int OpportunitiesPerAccount = 200;
    public const int BuyingCentreMembers = 50;
    public const int Milestones = 50;
    public const int ProcessSteps = 50;
    public const int DealCompetitors = 20;
    public const int CloseReasonLength = 500;

    public const int ContactsPerAccount = 2000;
    public const int SubAccountsPerAccount = 5000;
    public const int ActivityContacts = 50;
    /// <summary>Activities of one account in one calendar month (one archive grain's state).</summary>
    public const int ActivitiesPerAccountMonth = 1000;
    /// <summary>Activities one account can hold in total (their ids are remembered for duplicate detection).</summary>
    public const int ActivitiesPerAccount = 50_000;

    /// <summary>Largest serialized account profile state.</summary>
    public const int ProfileStateBytes = 256 * 1024;

    public const long MaxAmountMinor = 1_000_000_000_000_000; // 10^15

    /// <summary>Longest ancestor chain walked when re-parenting; deeper hierarchies are refused.</summary>
    public const int HierarchyDepth = 32;

    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;
}
