namespace ActorCrm.Domain.Model;

/// <summary>A project/opportunity at an account (项目的资料). Lives inside its account's state.</summary>
[GenerateSerializer, Immutable, Alias("actorcrm.Opportunity")]
public sealed record Opportunity
{
    [Id(0)] public required string AccountId { get; init; }
    [Id(1)] public required string OpportunityId { get; init; }
    [Id(2)] public string Name { get; init; } = "";
    [Id(3)] public string ProblemToSolve { get; init; } = "";
    [Id(4)] public string PurchasingPlan { get; init; } = "";
    [Id(5)] public long BudgetMinor { get; init; }
    [Id(6)] public PurchasingTimetable Timetable { get; init; } = new();
    [Id(7)] public PurchasingProcess PurchasingProcess { get; init; } = new();
    [Id(8)] public Stage Stage { get; init; }
    [Id(9)] public long AmountMinor { get; init; }
    [Id(10)] public string CurrencyCode { get; init; } = "";
    [Id(11)] public int ProbabilityPercent { get; init; }
    [Id(12)] public OpportunityStatus Status { get; init; }
    [Id(13)] public IReadOnlyList<BuyingCentreMember> BuyingCentre { get; init; } = [];
    [Id(14)] public IReadOnlyList<string> Competitors { get; init; } = [];
    /// <summary>Why it was won or lost; only on a won or lost opportunity (see OpportunityRules).</summary>
    [Id(15)] public string CloseReason { get; init; } = "";
}

[GenerateSerializer, Immutable, Alias("actorcrm.PurchasingTimetable")]
public sealed record PurchasingTimetable
{
    [Id(0)] public DateOnly? ExpectedDecisionDate { get; init; }
    [Id(1)] public IReadOnlyList<Milestone> Milestones { get; init; } = [];
}

[GenerateSerializer, Immutable, Alias("actorcrm.Milestone")]
public sealed record Milestone(
    [property: Id(0)] string Name,
    [property: Id(1)] DateOnly? DueDate,
    [property: Id(2)] bool Done);

[GenerateSerializer, Immutable, Alias("actorcrm.PurchasingProcess")]
public sealed record PurchasingProcess
{
    [Id(0)] public PurchasingMethod Method { get; init; }
    [Id(1)] public IReadOnlyList<string> Steps { get; init; } = [];
    [Id(2)] public string Notes { get; init; } = "";
}

[GenerateSerializer, Immutable, Alias("actorcrm.BuyingCentreMember")]
public sealed record BuyingCentreMember(
    [property: Id(0)] string ContactId,
    [property: Id(1)] BuyingRole Role,
    [property: Id(2)] Stance Stance);

[GenerateSerializer, Immutable, Alias("actorcrm.OpportunityView")]
public sealed record OpportunityView(
    [property: Id(0)] Opportunity Opportunity,
    [property: Id(1)] long Version,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] DateTimeOffset UpdatedAt)
{
    /// <summary>When a person last edited or confirmed the opportunity (null: before stamps were kept; its last update counts).</summary>
    [Id(4)] public DateTimeOffset? LastVerifiedAt { get; init; }

    public DateTimeOffset VerifiedAt => LastVerifiedAt ?? UpdatedAt;

    public string Etag => Etags.Format(Version);
}

/// <summary>A sales action on an account's timeline.</summary>
[GenerateSerializer, Immutable, Alias("actorcrm.Activity")]
public sealed record Activity
{
    [Id(0)] public required string AccountId { get; init; }
    [Id(1)] public required string ActivityId { get; init; }
    [Id(2)] public string Type { get; init; } = "";
    [Id(3)] public DateTimeOffset OccurredAt { get; init; }
    [Id(4)] public IReadOnlyList<string> ContactIds { get; init; } = [];
    [Id(5)] public string OpportunityId { get; init; } = "";
    [Id(6)] public string Subject { get; init; } = "";
    [Id(7)] public string Notes { get; init; } = "";
    [Id(8)] public string Owner { get; init; } = "";
}
