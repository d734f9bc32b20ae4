using ActorCrm.Domain.Model;

namespace ActorCrm.Domain.Insights;

/// <summary>The four categories of intelligence the source text says to collect about a key account.</summary>
public enum IntelCategory { Organisation = 1, Competitors = 2, Projects = 3, People = 4 }

/// <summary>Something the seller does not know yet: a stable code, a readable message, what it is about.</summary>
[GenerateSerializer, Immutable, Alias("actorcrm.MissingIntel")]
public sealed record MissingIntel(
    [property: Id(0)] IntelCategory Category,
    [property: Id(1)] string Code,
    [property: Id(2)] string Message,
    [property: Id(3)] string Subject);

/// <summary>A warning about an open opportunity's buying centre or timing.</summary>
[GenerateSerializer, Immutable, Alias("actorcrm.RedFlag")]
public sealed record RedFlag(
    [property: Id(0)] string Code,
    [property: Id(1)] string Message,
    [property: Id(2)] string OpportunityId);

/// <summary>How well the account is known (0–1 per category and overall), what is missing, what is alarming.</summary>
[GenerateSerializer, Immutable, Alias("actorcrm.AccountInsights")]
public sealed record AccountInsights(
    [property: Id(0)] double Organisation,
    [property: Id(1)] double Competitors,
    [property: Id(2)] double Projects,
    [property: Id(3)] double People,
    [property: Id(4)] double Overall,
    [property: Id(5)] IReadOnlyList<MissingIntel> Missing,
    [property: Id(6)] IReadOnlyList<RedFlag> RedFlags)
{
    /// <summary>The first day on which a section known and fresh today turns stale (the coverage drops with no edit); null if none will.</summary>
    [Id(7)] public DateOnly? NextStaleDay { get; init; }
}

/// <summary>What an account knows of one of its contacts, for coverage (never the personal values).</summary>
[GenerateSerializer, Immutable, Alias("actorcrm.ContactIntel")]
public sealed record ContactIntel(
    [property: Id(0)] string ContactId,
    [property: Id(1)] ContactLevel Level,
    [property: Id(2)] bool InOrgChart,
    /// <summary>Names of the personal-profile items known (e.g. "hometown"), from the contact's profile.</summary>
    [property: Id(3)] IReadOnlyList<string> KnownProfileItems)
{
    /// <summary>When a person last edited or confirmed the contact's personal profile (null: before stamps were kept).</summary>
    [Id(4)] public DateTimeOffset? ProfileVerifiedAt { get; init; }
}

/// <summary>An open opportunity as the red flags see it: since when it exists, when it last saw a sales activity.</summary>
public sealed record OpportunityIntel(Opportunity Opportunity, DateOnly CreatedOn, DateOnly? LastActivityOn);

/// <summary>Insights:* settings: category weights and the red-flag thresholds.</summary>
public sealed class InsightOptions
{
    public const string Section = "Insights";

    /// <summary>Weight of each category in the overall score (Insights:Weights:Organisation …); all 1 by default.</summary>
    public Dictionary<string, double> Weights { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>From this stage on, an open opportunity without a budget or a timetable is a red flag.</summary>
    public Stage BudgetAndTimetableKnownBy { get; set; } = Stage.Solution;

    /// <summary>An open opportunity with no sales activity logged against it for this many days (counted from its creation if none ever) is a red flag.</summary>
    public int NoActivityDays { get; set; } = 30;

    /// <summary>A section not edited or confirmed for more than this many days is stale: its known items count half, and it is listed as missing.</summary>
    public int StaleAfterDays { get; set; } = 180;

    /// <summary>How often each directory partition asks accounts whose listed coverage went stale with time to publish it again.</summary>
    public int CoverageRefreshSeconds { get; set; } = 600;

    /// <summary>How long an account serves the share of wallet it last read from the ranking (GetAccount replies are cached this long at most).</summary>
    public int ShareOfWalletMaxAgeSeconds { get; set; } = 30;

    public double WeightOf(IntelCategory category) => Weights.TryGetValue(category.ToString(), out var weight) ? weight : 1.0;
}
