namespace ActorCrm.Domain.Model;

/// <summary>A person at a key account.</summary>
[GenerateSerializer, Immutable, Alias("actorcrm.Contact")]
public sealed record Contact
{
    [Id(0)] public required string ContactId { get; init; }
    [Id(1)] public string AccountId { get; init; } = "";
    [Id(2)] public string DisplayName { get; init; } = "";
    [Id(3)] public string Title { get; init; } = "";
    [Id(4)] public string OrgUnitId { get; init; } = "";
    [Id(5)] public ContactLevel Level { get; init; }
    [Id(6)] public string ReportsToContactId { get; init; } = "";
    [Id(7)] public IReadOnlyList<CommunicationChannel> Channels { get; init; } = [];
    [Id(8)] public RelationshipStrength RelationshipStrength { get; init; }
    /// <summary>Personal data about a real person, kept in its own record so access control can guard it.</summary>
    [Id(9)] public PersonalProfile PersonalProfile { get; init; } = new();
}

/// <summary>Personal data (客户的个人资料).</summary>
[GenerateSerializer, Immutable, Alias("actorcrm.PersonalProfile")]
public sealed record PersonalProfile
{
    [Id(0)] public string Family { get; init; } = "";
    [Id(1)] public string Hometown { get; init; } = "";
    [Id(2)] public IReadOnlyList<string> FavouriteBooks { get; init; } = [];
    [Id(3)] public string University { get; init; } = "";
    [Id(4)] public string LastVacation { get; init; } = "";
    [Id(5)] public string NextVacationPlan { get; init; } = "";
    [Id(6)] public IReadOnlyList<string> Sports { get; init; } = [];
    [Id(7)] public IReadOnlyList<string> FavouriteRestaurants { get; init; } = [];
    [Id(8)] public IReadOnlyList<string> FavouriteFood { get; init; } = [];
    [Id(9)] public string Notes { get; init; } = "";
}

[GenerateSerializer, Immutable, Alias("actorcrm.ContactView")]
public sealed record ContactView(
    [property: Id(0)] Contact Contact,
    [property: Id(1)] long Version,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] DateTimeOffset UpdatedAt)
{
    public string Etag => Etags.Format(Version);
}
