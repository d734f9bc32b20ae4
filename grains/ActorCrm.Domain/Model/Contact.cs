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
    /// <summary>Personal data about a real person (guarded, audited and erasable: see the API's PersonalDataGuard).</summary>
    [Id(9)] public PersonalProfile PersonalProfile { get; init; } = new();
    /// <summary>Why and on what basis the profile is held, and until when; required while the profile holds anything.</summary>
    [Id(10)] public PersonalDataBasis? PersonalDataBasis { get; init; }

    /// <summary>The name a contact shows once its personal data has been erased.</summary>
    public const string ErasedName = "(erased)";

    /// <summary>The contact without its personal profile (and the profile's basis): what retention erases.</summary>
    public Contact WithoutProfile() => this with { PersonalProfile = new PersonalProfile(), PersonalDataBasis = null };

    /// <summary>Whether the profile is held past its retention time.</summary>
    public bool ProfileExpired(DateTimeOffset now) => PersonalDataBasis is { } basis && basis.RetainUntil <= now && !PersonalProfile.IsEmpty;

    /// <summary>The contact without its personal data: name, channels, profile and basis go; its place in the organisation stays.</summary>
    public Contact WithoutPersonalData() => this with
    {
        DisplayName = ErasedName,
        Channels = [],
        PersonalProfile = new PersonalProfile(),
        PersonalDataBasis = null,
    };
}

/// <summary>Why personal data is collected (purpose), on what legal basis, and how long it may be kept.</summary>
[GenerateSerializer, Immutable, Alias("actorcrm.PersonalDataBasis")]
public sealed record PersonalDataBasis
{
    [Id(0)] public string Purpose { get; init; } = "";
    [Id(1)] public LegalBasis LegalBasis { get; init; }
    /// <summary>When the person consented; required for <see cref="LegalBasis.Consent"/>.</summary>
    [Id(2)] public DateTimeOffset? ConsentedAt { get; init; }
    /// <summary>After this instant the profile is erased automatically.</summary>
    [Id(3)] public DateTimeOffset RetainUntil { get; init; }
}

public enum LegalBasis
{
    Unspecified = 0,
    Consent = 1,
    Contract = 2,
    LegalObligation = 3,
    LegitimateInterest = 4,
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

    public bool IsEmpty => Family.Length == 0 && Hometown.Length == 0 && FavouriteBooks.Count == 0 && University.Length == 0
        && LastVacation.Length == 0 && NextVacationPlan.Length == 0 && Sports.Count == 0 && FavouriteRestaurants.Count == 0
        && FavouriteFood.Count == 0 && Notes.Length == 0;
}

[GenerateSerializer, Immutable, Alias("actorcrm.ContactView")]
public sealed record ContactView(
    [property: Id(0)] Contact Contact,
    [property: Id(1)] long Version,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] DateTimeOffset UpdatedAt)
{
    /// <summary>When the contact's personal data was erased (on request or past its retention); null if never.</summary>
    [Id(4)] public DateTimeOffset? PersonalDataErasedAt { get; init; }

    /// <summary>When a person last edited or confirmed the personal profile; null while it is empty.</summary>
    [Id(5)] public DateTimeOffset? ProfileVerifiedAt { get; init; }

    public string Etag => Etags.Format(Version);
}
