using ActorCrm.Domain.Model;

namespace ActorCrm.Domain.Pipeline;

/// <summary>
/// One group of an account's opportunities with the same currency, status, stage (open ones) and
/// close reason (won and lost ones): how many, their amount and (open ones) their weighted amount.
/// </summary>
[GenerateSerializer, Immutable, Alias("actorcrm.PipelineLine")]
public sealed record PipelineLine(
    [property: Id(0)] string CurrencyCode,
    [property: Id(1)] OpportunityStatus Status,
    [property: Id(2)] Stage Stage,
    [property: Id(3)] string CloseReason,
    [property: Id(4)] long Count,
    [property: Id(5)] long AmountMinor,
    [property: Id(6)] long WeightedAmountMinor);

/// <summary>
/// An account's whole pipeline as it reports it to its pipeline partition: absolute (never a
/// delta), with the account fields the summary groups and filters by, at <see cref="Version"/>
/// (grows with every write of the account's profile or opportunities), so a partition keeps the
/// newest and ignores repeats and stragglers. No lines = the account holds no opportunities (or
/// is deleted).
/// </summary>
[GenerateSerializer, Immutable, Alias("actorcrm.PipelineRow")]
public sealed record PipelineRow(
    [property: Id(0)] string AccountId,
    [property: Id(1)] long Version,
    [property: Id(2)] string Owner,
    [property: Id(3)] string ParentAccountId,
    [property: Id(4)] StrategicTier Tier,
    [property: Id(5)] IReadOnlyList<PipelineLine> Lines)
{
    public bool IsEmpty => Lines.Count == 0;

    /// <summary>The row of an account (null = deleted) holding these opportunities.</summary>
    public static PipelineRow Of(string accountId, Account? account, long version, IEnumerable<Opportunity> opportunities)
    {
        if (account is null) return new PipelineRow(accountId, version, "", "", StrategicTier.Unspecified, []);
        var lines = opportunities
            .GroupBy(o => o.Status == OpportunityStatus.Open
                ? (o.CurrencyCode, o.Status, o.Stage, Reason: "")
                : (o.CurrencyCode, o.Status, Stage: Stage.Unspecified, Reason: o.CloseReason))
            .Select(g => new PipelineLine(g.Key.CurrencyCode, g.Key.Status, g.Key.Stage, g.Key.Reason, g.LongCount(),
                g.Sum(o => o.AmountMinor), g.Key.Status == OpportunityStatus.Open ? g.Sum(Weighted) : 0))
            .OrderBy(l => l.CurrencyCode, StringComparer.Ordinal).ThenBy(l => l.Status).ThenBy(l => l.Stage)
            .ThenBy(l => l.CloseReason, StringComparer.Ordinal)
            .ToArray();
        return new PipelineRow(accountId, version, account.Owner, account.ParentAccountId, account.Tier, lines);
    }

    /// <summary>amount × probability / 100, rounded half up (amounts ≤ 10^15, so the product fits).</summary>
    public static long Weighted(Opportunity o) => (o.AmountMinor * o.ProbabilityPercent + 50) / 100;

    /// <summary>The same figures and account fields (the version aside): nothing to report.</summary>
    public bool SameAs(PipelineRow other) =>
        AccountId == other.AccountId && Owner == other.Owner && ParentAccountId == other.ParentAccountId && Tier == other.Tier
        && Lines.SequenceEqual(other.Lines);
}
