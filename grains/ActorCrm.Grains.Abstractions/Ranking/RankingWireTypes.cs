using ActorCrm.Domain.Revenue;

namespace ActorCrm.Grains.Ranking;

public enum RankingScope { Account = 1, Group = 2 }

/// <summary>Revenue-based class; numeric values equal actorcrm.v1.AbcClass.</summary>
public enum AbcGrade { Unranked = 0, A = 1, B = 2, C = 3 }

/// <summary>
/// An account's whole window ledger as the ranking needs it: its day buckets at a ledger version, and
/// (when the sender computed it) the window position they give on its day, which a ranking on the same
/// day uses instead of recomputing it.
/// </summary>
[GenerateSerializer, Immutable, Alias("actorcrm.RevenueReport")]
public sealed record RevenueReport(
    [property: Id(0)] string AccountId,
    [property: Id(1)] long LedgerVersion,
    [property: Id(2)] IReadOnlyList<DayAmount> Buckets,
    [property: Id(3)] WindowPosition? Position = null);

/// <summary>
/// An account's place in the hierarchy and its listing (name, tier: what a ranked row shows) at a
/// saved profile version (Deleted: the account is gone).
/// </summary>
[GenerateSerializer, Immutable, Alias("actorcrm.HierarchyReport")]
public sealed record HierarchyReport(
    [property: Id(0)] string AccountId,
    [property: Id(1)] string ParentAccountId,
    [property: Id(2)] long ProfileVersion,
    [property: Id(3)] bool Deleted,
    [property: Id(4)] string DisplayName = "",
    [property: Id(5)] Domain.Model.StrategicTier Tier = Domain.Model.StrategicTier.Unspecified,
    [property: Id(6)] long YearlyPurchaseVolumeMinor = 0);

/// <summary>What a pre-aggregator flushes: the latest report per account.</summary>
[GenerateSerializer, Immutable, Alias("actorcrm.RankingBatch")]
public sealed record RankingBatch(
    [property: Id(0)] IReadOnlyList<RevenueReport> Revenue,
    [property: Id(1)] IReadOnlyList<HierarchyReport> Hierarchy);

[GenerateSerializer, Immutable, Alias("actorcrm.TopShareView")]
public sealed record TopShareView([property: Id(0)] int Count, [property: Id(1)] double Share);

[GenerateSerializer, Immutable, Alias("actorcrm.LorenzPointView")]
public sealed record LorenzPointView([property: Id(0)] double PopulationShare, [property: Id(1)] double RevenueShare);

/// <summary>The headline figures of one scope at one moment.</summary>
[GenerateSerializer, Immutable, Alias("actorcrm.ConcentrationView")]
public sealed record ConcentrationView
{
    [Id(0)] public RankingScope Scope { get; init; }
    [Id(1)] public DateTimeOffset AsOf { get; init; }
    [Id(2)] public int WindowDays { get; init; }
    [Id(3)] public long AccountCount { get; init; }
    [Id(4)] public long NonPositiveCount { get; init; }
    /// <summary>Σx as an exact decimal integer (it may exceed 64 bits).</summary>
    [Id(5)] public string TotalRevenueDecimal { get; init; } = "0";
    [Id(6)] public double ParetoShare { get; init; }
    [Id(7)] public IReadOnlyList<TopShareView> TopShares { get; init; } = [];
    [Id(8)] public double Hhi { get; init; }
    [Id(9)] public double Gini { get; init; }
    [Id(10)] public IReadOnlyList<LorenzPointView> Lorenz { get; init; } = [];
    [Id(11)] public long ClassACount { get; init; }
    [Id(12)] public long ClassBCount { get; init; }
    [Id(13)] public long ClassCCount { get; init; }
}

[GenerateSerializer, Immutable, Alias("actorcrm.RankedRowView")]
public sealed record RankedRowView(
    [property: Id(0)] string AccountId,
    [property: Id(1)] long Rank,
    [property: Id(2)] long RevenueMinor,
    [property: Id(3)] double Share,
    [property: Id(4)] double CumulativeShare,
    [property: Id(5)] AbcGrade Grade,
    [property: Id(6)] string DisplayName,
    [property: Id(7)] Domain.Model.StrategicTier Tier);

[GenerateSerializer, Immutable, Alias("actorcrm.AccountRankView")]
public sealed record AccountRankView(
    [property: Id(0)] string AccountId,
    [property: Id(1)] string RankedAccountId,
    [property: Id(2)] long Rank,
    [property: Id(3)] double Percentile,
    [property: Id(4)] long RevenueMinor,
    [property: Id(5)] double Share,
    [property: Id(6)] AbcGrade Grade);

/// <summary>The headline figures at the end of one local day.</summary>
[GenerateSerializer, Immutable, Alias("actorcrm.ConcentrationDay")]
public sealed record ConcentrationDay(
    [property: Id(0)] DateOnly Day,
    [property: Id(1)] long AccountCount,
    [property: Id(2)] string TotalRevenueDecimal,
    [property: Id(3)] double ParetoShare,
    [property: Id(4)] double Hhi,
    [property: Id(5)] double Gini);

[GenerateSerializer, Immutable, Alias("actorcrm.RevenueAdjustmentEntry")]
public sealed record RevenueAdjustmentEntry([property: Id(0)] string AccountId, [property: Id(1)] long DeltaMinor);
