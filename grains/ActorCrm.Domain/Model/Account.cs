namespace ActorCrm.Domain.Model;

/// <summary>A key account and the intelligence collected about it (the fields people edit).</summary>
[GenerateSerializer, Immutable, Alias("actorcrm.Account")]
public sealed record Account
{
    [Id(0)] public required string AccountId { get; init; }
    [Id(1)] public string DisplayName { get; init; } = "";
    [Id(2)] public AccountKind Kind { get; init; }
    [Id(3)] public StrategicTier Tier { get; init; }
    /// <summary>Empty for a top-level account.</summary>
    [Id(4)] public string ParentAccountId { get; init; } = "";
    [Id(5)] public string Owner { get; init; } = "";
    [Id(6)] public IReadOnlyList<TeamMember> AccountTeam { get; init; } = [];
    [Id(7)] public string Industry { get; init; } = "";
    [Id(8)] public string Region { get; init; } = "";
    [Id(9)] public OrganisationProfile OrganisationProfile { get; init; } = new();
    [Id(10)] public IReadOnlyList<InstalledBaseItem> InstalledBase { get; init; } = [];
    [Id(11)] public IReadOnlyList<CompetitorIntel> Competitors { get; init; } = [];
}

[GenerateSerializer, Immutable, Alias("actorcrm.TeamMember")]
public sealed record TeamMember([property: Id(0)] string UserId, [property: Id(1)] TeamRole Role);

/// <summary>Customer organisation data (客户组织资料).</summary>
[GenerateSerializer, Immutable, Alias("actorcrm.OrganisationProfile")]
public sealed record OrganisationProfile
{
    [Id(0)] public int EmployeeCount { get; init; }
    [Id(1)] public long YearlyPurchaseVolumeMinor { get; init; }
    [Id(2)] public string BusinessSituation { get; init; } = "";
    [Id(3)] public string IndustrySituation { get; init; } = "";
    [Id(4)] public IReadOnlyList<OrganisationUnit> Units { get; init; } = [];
    [Id(5)] public IReadOnlyList<CommunicationChannel> Channels { get; init; } = [];
}

[GenerateSerializer, Immutable, Alias("actorcrm.OrganisationUnit")]
public sealed record OrganisationUnit(
    [property: Id(0)] string UnitId,
    [property: Id(1)] string Name,
    [property: Id(2)] OrgUnitFunction Function,
    [property: Id(3)] string ParentUnitId);

[GenerateSerializer, Immutable, Alias("actorcrm.CommunicationChannel")]
public sealed record CommunicationChannel(
    [property: Id(0)] ChannelType Type,
    [property: Id(1)] string Value,
    [property: Id(2)] string Label);

/// <summary>A product of our class installed at the customer, ours or a competitor's.</summary>
[GenerateSerializer, Immutable, Alias("actorcrm.InstalledBaseItem")]
public sealed record InstalledBaseItem
{
    [Id(0)] public string Vendor { get; init; } = "";
    [Id(1)] public bool IsOurs { get; init; }
    [Id(2)] public string Product { get; init; } = "";
    [Id(3)] public int Quantity { get; init; }
    [Id(4)] public DateOnly? Since { get; init; }
    /// <summary>1..5, 0 = unknown.</summary>
    [Id(5)] public int Satisfaction { get; init; }
}

/// <summary>Competitor intelligence at one account (竞争对手资料).</summary>
[GenerateSerializer, Immutable, Alias("actorcrm.CompetitorIntel")]
public sealed record CompetitorIntel
{
    [Id(0)] public string Competitor { get; init; } = "";
    [Id(1)] public IReadOnlyList<string> ProductsInUse { get; init; } = [];
    [Id(2)] public int CustomerSatisfaction { get; init; }
    [Id(3)] public string SalesRepName { get; init; } = "";
    [Id(4)] public string SalesRepSellingStyle { get; init; } = "";
    [Id(5)] public string SalesRepRelationship { get; init; } = "";
    [Id(6)] public string Background { get; init; } = "";
}

/// <summary>An account as served: its fields plus the version metadata the API exposes.</summary>
[GenerateSerializer, Immutable, Alias("actorcrm.AccountView")]
public sealed record AccountView(
    [property: Id(0)] Account Account,
    [property: Id(1)] long Version,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] DateTimeOffset UpdatedAt,
    [property: Id(4)] int ContactCount)
{
    /// <summary>Intel coverage, missing items and red flags as of the view's day; null where not computed.</summary>
    [Id(5)] public Insights.AccountInsights? Insights { get; init; }

    /// <summary>Until when the insights hold (the next local midnight: red flags count days); a cached copy is not served after it.</summary>
    [Id(6)] public DateTimeOffset InsightsValidUntil { get; init; } = DateTimeOffset.MaxValue;

    /// <summary>When a person last edited or confirmed each of the account's own intel sections.</summary>
    [Id(7)] public Insights.AccountIntelVerification Verified { get; init; } = new();

    /// <summary>Window revenue against yearly purchase volume, as the ranking last told the account; null if not read yet.</summary>
    [Id(8)] public Insights.ShareOfWallet? ShareOfWallet { get; init; }

    public string Etag => Etags.Format(Version);
}
