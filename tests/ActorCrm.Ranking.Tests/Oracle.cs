using System.Numerics;
using ActorCrm.Ranking;

namespace ActorCrm.Ranking.Tests;

/// <summary>
/// Brute-force reference: sorts the accounts and recomputes every figure from the definitions with
/// BigInteger, independently of the index's tree, rank-weighted Gini trick and ExactRatio.
/// </summary>
internal sealed class Oracle
{
    public Oracle(IEnumerable<KeyValuePair<string, long>> totals, ConcentrationOptions? options = null)
    {
        Options = options ?? new ConcentrationOptions();
        List<(string Id, long X)> all = totals.Select(kv => (kv.Key, kv.Value)).ToList();
        Ranked = all.Where(a => a.X > 0)
            .OrderByDescending(a => a.X)
            .ThenBy(a => a.Id, StringComparer.Ordinal)
            .ToList();
        NonPositiveCount = all.Count(a => a.X <= 0);
        Total = Ranked.Aggregate(BigInteger.Zero, (s, a) => s + a.X);
        _descendingPrefix = new BigInteger[N + 1];
        _ascendingPrefix = new BigInteger[N + 1];
        for (int i = 0; i < N; i++)
        {
            _descendingPrefix[i + 1] = _descendingPrefix[i] + Ranked[i].X;
            _ascendingPrefix[i + 1] = _ascendingPrefix[i] + Ranked[N - 1 - i].X;
        }
    }

    private readonly BigInteger[] _descendingPrefix; // sum of the i largest
    private readonly BigInteger[] _ascendingPrefix;  // sum of the i smallest

    public ConcentrationOptions Options { get; }

    public List<(string Id, long X)> Ranked { get; }

    public int N => Ranked.Count;

    public int NonPositiveCount { get; }

    public BigInteger Total { get; }

    /// <summary>Exact p/q to double by a different route than ExactRatio (error ~1e-16 relative).</summary>
    public static double Ratio(BigInteger p, BigInteger q)
    {
        if (q.IsZero)
        {
            return 0.0;
        }

        if (p.IsZero)
        {
            return 0.0;
        }

        int sign = p.Sign * q.Sign;
        p = BigInteger.Abs(p);
        q = BigInteger.Abs(q);
        long k = Math.Max(0, 80 + q.GetBitLength() - p.GetBitLength());
        BigInteger scaled = (p << (int)k) / q;
        return sign * Math.ScaleB((double)scaled, (int)-k);
    }

    public BigInteger Top(int k) => _descendingPrefix[Math.Clamp(k, 0, N)];

    public double Share(BigInteger part) => Ratio(part, Total);

    public int ParetoCount
    {
        get
        {
            int k = 0;
            while (5 * k < N)
            {
                k++; // smallest k with k >= 0.2·n
            }

            return k;
        }
    }

    public double Pareto => Share(Top(ParetoCount));

    public double Hhi => Ratio(Ranked.Aggregate(BigInteger.Zero, (s, a) => s + (BigInteger)a.X * a.X), Total * Total);

    public double Gini
    {
        get
        {
            if (N == 0)
            {
                return 0.0;
            }

            // Straight from the definition: y ascending, i 1-based.
            List<long> ascending = Ranked.Select(a => a.X).Reverse().ToList();
            BigInteger weighted = 0;
            for (int i = 0; i < ascending.Count; i++)
            {
                weighted += (BigInteger)(i + 1) * ascending[i];
            }

            // (2·Σ i·yᵢ)/(n·Σy) − (n+1)/n as one fraction.
            return Ratio((2 * weighted) - ((BigInteger)(N + 1) * Total), N * Total);
        }
    }

    public List<(double X, double Y)> Lorenz()
    {
        var points = new List<(double, double)>();
        for (int j = 0; j <= 20; j++)
        {
            int m = j * N / 20;
            points.Add((j / 20.0, Share(_ascendingPrefix[m])));
        }

        return points;
    }

    public List<(string Id, int Rank, long X, double Share, double Cumulative, AbcClass Abc, double Percentile)> Rows()
    {
        var rows = new List<(string, int, long, double, double, AbcClass, double)>();
        BigInteger above = 0;
        for (int i = 0; i < N; i++)
        {
            (string id, long x) = Ranked[i];
            AbcClass abc = above * 10_000 < Options.Abc.ABasisPoints * Total ? AbcClass.A
                : above * 10_000 < Options.Abc.BBasisPoints * Total ? AbcClass.B
                : AbcClass.C;
            rows.Add((id, i + 1, x, Share(x), Share(above + x), abc, Ratio(100 * (BigInteger)(N - (i + 1)), N)));
            above += x;
        }

        return rows;
    }

    /// <summary>Asserts every figure and row of <paramref name="index"/> against this oracle.</summary>
    public void AssertMatches(ConcentrationIndex index, bool allRanks = true)
    {
        Near.Same(N, index.AccountCount);
        Near.Same(NonPositiveCount, index.NonPositiveCount);
        Near.Same(Total, (BigInteger)index.TotalRevenueMinor);
        AssertFigures(index.GetFigures());
        AssertLorenz(index.Lorenz());
        foreach (int k in new[] { 0, 1, 2, 3, N - 1, N, N + 1, (N / 2) + 1 })
        {
            Near.Same(Top(k), (BigInteger)index.TopRevenue(k));
        }

        var rows = Rows();
        AssertRows(rows, index.GetTopRows(0, N + 3));
        if (N > 2)
        {
            int offset = N / 3;
            AssertRows(rows.Skip(offset).Take(2).ToList(), index.GetTopRows(offset, 2));
        }

        if (allRanks)
        {
            foreach (var row in rows)
            {
                if (index.GetRank(row.Id) is not AccountRank r)
                {
                    Assert.Fail($"no rank for ranked account '{row.Id}'");
                    return;
                }

                Near.Same(row.Id, r.AccountId);
                Near.Same(row.Rank, r.Rank);
                Near.Same(row.X, r.RevenueMinor);
                Near.Same(row.Abc, r.AbcClass);
                Near.Close(row.Share, r.Share);
                Near.Close(row.Cumulative, r.CumulativeShare);
                Near.Close(row.Percentile, r.Percentile);
            }
        }
    }

    public void AssertFigures(ConcentrationFigures f)
    {
        Near.Same(N, f.AccountCount);
        Near.Same(NonPositiveCount, f.NonPositiveCount);
        Near.Same(Total, (BigInteger)f.TotalRevenueMinor);
        Near.Close(Pareto, f.ParetoShare);
        Near.Close(Hhi, f.Hhi);
        Near.Gini(Gini, f.Gini);
        var rows = Rows();
        Near.Same(
            new AbcCounts(rows.Count(r => r.Abc == AbcClass.A), rows.Count(r => r.Abc == AbcClass.B), rows.Count(r => r.Abc == AbcClass.C)),
            f.AbcCounts);
        Near.Same(Options.TopShareKs.Length, f.TopShares.Length);
        for (int i = 0; i < f.TopShares.Length; i++)
        {
            Near.Same(Options.TopShareKs[i], f.TopShares[i].K);
            Near.Close(Share(Top(Options.TopShareKs[i])), f.TopShares[i].Share);
        }
    }

    public void AssertLorenz(IReadOnlyList<LorenzPoint> actual)
    {
        var expected = Lorenz();
        Near.Same(expected.Count, actual.Count);
        for (int j = 0; j < expected.Count; j++)
        {
            Near.Same(expected[j].X, actual[j].PopulationShare);
            Near.Close(expected[j].Y, actual[j].RevenueShare);
        }
    }

    public static void AssertRows(
        IReadOnlyList<(string Id, int Rank, long X, double Share, double Cumulative, AbcClass Abc, double Percentile)> expected,
        IReadOnlyList<RankedRow> actual)
    {
        Near.Same(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Near.Same(expected[i].Id, actual[i].AccountId);
            Near.Same(expected[i].Rank, actual[i].Rank);
            Near.Same(expected[i].X, actual[i].RevenueMinor);
            Near.Same(expected[i].Abc, actual[i].AbcClass);
            Near.Close(expected[i].Share, actual[i].Share);
            Near.Close(expected[i].Cumulative, actual[i].CumulativeShare);
        }
    }

    public void AssertSnapshot(ConcentrationSnapshot snapshot, int topRowCount)
    {
        AssertFigures(snapshot.Figures);
        AssertLorenz(snapshot.Lorenz);
        AssertRows(Rows().Take(topRowCount).ToList(), snapshot.TopRows);
    }
}

internal static class Near
{
    /// <summary>Exact equality; cheaper than Assert.Equal in the hot loops of the property tests.</summary>
    public static void Same<T>(T expected, T actual)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
        {
            Assert.Fail($"expected {expected}, got {actual}");
        }
    }

    /// <summary>Shares, HHI, Lorenz: 1e-12 relative.</summary>
    public static void Close(double expected, double actual, double relative = 1e-12)
    {
        double tolerance = relative * Math.Abs(expected);
        if (!(Math.Abs(expected - actual) <= tolerance))
        {
            Assert.Fail($"expected {expected:R}, got {actual:R} (difference {Math.Abs(expected - actual):R}, tolerance {tolerance:R})");
        }
    }

    /// <summary>Gini: 1e-9 relative, or 1e-12 absolute near 0.</summary>
    public static void Gini(double expected, double actual)
    {
        double difference = Math.Abs(expected - actual);
        if (!(difference <= 1e-9 * Math.Abs(expected) || difference <= 1e-12))
        {
            Assert.Fail($"Gini expected {expected:R}, got {actual:R}");
        }
    }
}
