using System.Globalization;
using ActorCrm.Ranking;
using Proto = ActorCrm.Api.V1;

namespace ActorCrm.Scale.Benchmarks;

/// <summary>The share of the top <paramref name="Count"/> accounts.</summary>
public sealed record TopShareFigure(int Count, double Share);

/// <summary>
/// The figures of GetConcentration (account scope) the benchmark checks, as the API sends them.
/// ranking.proto defines each as an exact rational rounded once to a double, so the expected and the
/// actual value must be equal bit for bit, not merely close.
/// </summary>
/// <param name="TotalRevenueMinor">Σx as a decimal string (the API's exact total_revenue_decimal).</param>
public sealed record CheckedFigures(
    long AccountCount, long NonPositiveCount, string TotalRevenueMinor, double ParetoShare, double Hhi, double Gini,
    IReadOnlyList<TopShareFigure> TopShares)
{
    public static CheckedFigures From(Proto.Concentration concentration) => new(
        concentration.AccountCount,
        concentration.NonPositiveCount,
        concentration.TotalRevenueDecimal,
        concentration.ParetoShare,
        concentration.Hhi,
        concentration.Gini,
        concentration.TopShares.Select(t => new TopShareFigure(t.Count, t.Share)).ToList());

    /// <summary>The API names of the fields that differ; empty when all match.</summary>
    public IReadOnlyList<string> DifferencesFrom(CheckedFigures other)
    {
        var differences = new List<string>();
        void Compare(bool same, string field)
        {
            if (!same)
            {
                differences.Add(field);
            }
        }

        Compare(AccountCount == other.AccountCount, "account_count");
        Compare(NonPositiveCount == other.NonPositiveCount, "non_positive_count");
        Compare(TotalRevenueMinor == other.TotalRevenueMinor, "total_revenue_decimal");
        Compare(ParetoShare.Equals(other.ParetoShare), "pareto_share");
        Compare(Hhi.Equals(other.Hhi), "hhi");
        Compare(Gini.Equals(other.Gini), "gini");
        Compare(TopShares.SequenceEqual(other.TopShares), "top_shares");
        return differences;
    }
}

/// <summary>
/// What the silo's ranking must show once it has caught up: the account totals it should hold are fed
/// into a local <see cref="ConcentrationIndex"/>, the same exact-integer core the silo's ranking uses,
/// so every figure comes out as the one correctly rounded double the contract defines.
/// </summary>
public sealed class ExpectedFigures
{
    private readonly ConcentrationIndex _index;
    private readonly long _unlistedNonPositive;

    /// <param name="totals">Window total of every account with revenue (the events' amounts are all
    /// positive, so every total here is positive).</param>
    /// <param name="unlistedNonPositive">Accounts with a total ≤ 0 the silo held before the run: the API
    /// counts them but does not list them, so they are carried over as a count.</param>
    public ExpectedFigures(IReadOnlyDictionary<string, long> totals, long unlistedNonPositive)
    {
        _index = new ConcentrationIndex(new ConcentrationOptions { InitialCapacity = totals.Count });
        foreach ((string accountId, long total) in totals)
        {
            _index.Set(accountId, total);
        }

        _unlistedNonPositive = unlistedNonPositive;
    }

    /// <summary>The figures, with a top share for each k the silo reports (Ranking:TopCounts is its setting).</summary>
    public CheckedFigures For(IEnumerable<int> topCounts) => new(
        _index.AccountCount,
        _index.NonPositiveCount + _unlistedNonPositive,
        _index.TotalRevenueMinor.ToString(CultureInfo.InvariantCulture),
        _index.ParetoShare(),
        _index.Hhi(),
        _index.Gini(),
        topCounts.Select(k => new TopShareFigure(k, _index.TopShare(k))).ToList());
}
