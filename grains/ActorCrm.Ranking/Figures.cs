using System.Collections.Immutable;

namespace ActorCrm.Ranking;

/// <summary>ABC class of a ranked account (see <see cref="AbcThresholds"/>).</summary>
public enum AbcClass
{
    A,
    B,
    C,
}

/// <summary>
/// ABC thresholds in basis points of the total (8000 = 80 %). With P = revenue of the accounts
/// ranked above an account: A iff P &lt; A·Σx, else B iff P &lt; B·Σx, else C; so the account that
/// crosses 80 % is still A. Compared exactly in integers: 10000·P &lt; bp·Σx.
/// </summary>
public readonly record struct AbcThresholds
{
    public const int BasisPointsPerUnit = 10_000;

    /// <summary>The product default: A below 80 %, B below 95 %.</summary>
    public static AbcThresholds Default { get; } = new(8_000, 9_500);

    /// <param name="aBasisPoints">Upper bound (exclusive) of P for class A, 0..10000.</param>
    /// <param name="bBasisPoints">Upper bound (exclusive) of P for class B, aBasisPoints..10000.</param>
    public AbcThresholds(int aBasisPoints, int bBasisPoints)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(aBasisPoints);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(aBasisPoints, bBasisPoints);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bBasisPoints, BasisPointsPerUnit);
        ABasisPoints = aBasisPoints;
        BBasisPoints = bBasisPoints;
    }

    public int ABasisPoints { get; }

    public int BBasisPoints { get; }

    /// <summary>Class of an account given P (revenue ranked above it) and the total Σx.</summary>
    public AbcClass Classify(Int128 revenueAbove, Int128 total)
    {
        // |P|, |Σx| < 2^95 (at most 2^31 accounts of at most 2^63 each); times 10^4 < 2^109: no overflow.
        Int128 scaled = revenueAbove * BasisPointsPerUnit;
        if (scaled < total * ABasisPoints)
        {
            return AbcClass.A;
        }

        return scaled < total * BBasisPoints ? AbcClass.B : AbcClass.C;
    }
}

/// <summary>Configuration of a <see cref="ConcentrationIndex"/>.</summary>
public sealed record ConcentrationOptions
{
    /// <summary>The product default top-k list.</summary>
    public static ImmutableArray<int> DefaultTopShareKs { get; } = [1, 5, 10, 20, 50, 100];

    /// <summary>For each k, <see cref="ConcentrationFigures.TopShares"/> reports the share of the top min(k, n). Each k ≥ 1.</summary>
    public ImmutableArray<int> TopShareKs { get; init; } = DefaultTopShareKs;

    public AbcThresholds Abc { get; init; } = AbcThresholds.Default;

    /// <summary>Accounts to reserve room for up front (the pools grow by doubling anyway).</summary>
    public int InitialCapacity { get; init; } = 16;
}

/// <summary>Share of the top min(K, n) accounts.</summary>
public readonly record struct TopShare(int K, double Share);

/// <summary>One Lorenz point: the <see cref="RevenueShare"/> held by the ⌊j·n/20⌋ smallest accounts, <see cref="PopulationShare"/> = j/20.</summary>
public readonly record struct LorenzPoint(double PopulationShare, double RevenueShare);

/// <summary>A row of the top list. Rank 1 = largest revenue; ties by account id ascending (ordinal).</summary>
public readonly record struct RankedRow(
    string AccountId,
    int Rank,
    long RevenueMinor,
    double Share,
    double CumulativeShare,
    AbcClass AbcClass);

/// <summary>Where one account stands. Percentile = 100·(n − rank)/n.</summary>
public readonly record struct AccountRank(
    string AccountId,
    int Rank,
    double Percentile,
    long RevenueMinor,
    double Share,
    double CumulativeShare,
    AbcClass AbcClass);

/// <summary>
/// Headline concentration figures over the accounts with positive window revenue (n = <see cref="AccountCount"/>).
/// Integers are exact; every double is the exact rational rounded once. n = 0 gives zeros.
/// </summary>
/// <param name="AccountCount">n: accounts with total &gt; 0 (the ranked set).</param>
/// <param name="NonPositiveCount">Tracked accounts whose total is ≤ 0 (not ranked).</param>
/// <param name="TotalRevenueMinor">Σx over the ranked set.</param>
/// <param name="ParetoShare">Share of the top ⌈0.2·n⌉.</param>
/// <param name="TopShares">One entry per configured k, in configuration order.</param>
/// <param name="Hhi">Σx² / (Σx)², in (0, 1].</param>
/// <param name="Gini">(2·Σ i·yᵢ − (n+1)·Σy) / (n·Σy), y ascending, i 1-based; in [0, 1).</param>
/// <param name="AbcCounts">How many ranked accounts are in each ABC class.</param>
public sealed record ConcentrationFigures(
    int AccountCount,
    int NonPositiveCount,
    Int128 TotalRevenueMinor,
    double ParetoShare,
    ImmutableArray<TopShare> TopShares,
    double Hhi,
    double Gini,
    AbcCounts AbcCounts);

/// <summary>Ranked accounts per ABC class; A + B + C = n.</summary>
public readonly record struct AbcCounts(int A, int B, int C);

/// <summary>
/// Immutable copy of the index's state at <see cref="Version"/>: plain values and immutable arrays,
/// no reference to the mutable tree, so readers may hold it while the index keeps changing.
/// </summary>
public sealed record ConcentrationSnapshot(
    long Version,
    ConcentrationFigures Figures,
    ImmutableArray<RankedRow> TopRows,
    ImmutableArray<LorenzPoint> Lorenz);
