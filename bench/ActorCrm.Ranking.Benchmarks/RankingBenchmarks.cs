using ActorCrm.Ranking;
using BenchmarkDotNet.Attributes;

namespace ActorCrm.Ranking.Benchmarks;

/// <summary>
/// Shared fixture: n accounts "acct-0000000" … with log-uniform totals between 100 and 10^10 minor
/// units (1.00 to 100M currency units; small totals tie often, as they do in real books), and a
/// stream of random updates to existing accounts.
/// </summary>
public abstract class RankingFixture
{
    private const int TotalStreamLength = 1 << 16;
    private ulong _accountRng = 0x9E3779B97F4A7C15UL;
    private int _totalCursor;

    [Params(10_000, 100_000, 1_000_000)]
    public int N { get; set; }

    protected string[] Ids = [];
    protected long[] Totals = [];
    private long[] _totalStream = [];

    protected static long RandomTotal(Random rng) => RandomTotalOf(rng);

    public static long RandomTotalOf(Random rng) => (long)Math.Exp(Math.Log(100) + (rng.NextDouble() * Math.Log(1e8)));

    protected void BuildData()
    {
        var rng = new Random(42);
        Ids = Enumerable.Range(0, N).Select(i => $"acct-{i:D7}").ToArray();
        Totals = Enumerable.Range(0, N).Select(_ => RandomTotal(rng)).ToArray();
        _totalStream = Enumerable.Range(0, TotalStreamLength).Select(_ => RandomTotal(rng)).ToArray();
    }

    /// <summary>A random account (xorshift, never in step with the total stream, so an update is
    /// never a no-op "set to the value it already has").</summary>
    protected int NextAccount()
    {
        ulong x = _accountRng;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        _accountRng = x;
        return (int)(x % (ulong)N);
    }

    protected long NextTotal() => _totalStream[_totalCursor = (_totalCursor + 1) & (TotalStreamLength - 1)];
}

/// <summary>
/// One update of an existing account's total, per operation: the index (O(log n), every figure kept)
/// versus a naive SortedSet&lt;(long, string)&gt; (remove + add), each optionally followed by the Pareto
/// share, which the SortedSet can only get by enumerating the top ⌈0.2·n⌉.
/// </summary>
[MemoryDiagnoser]
public class IndexUpdateBenchmarks : RankingFixture
{
    private const int Batch = 1_000;      // operations per invocation
    private const int ParetoBatch = 10;   // the naive Pareto share is O(n) per operation

    private ConcentrationIndex _index = null!;
    private SortedSet<(long Revenue, string Id)> _set = null!;
    private Int128 _setTotal;

    [GlobalSetup]
    public void Setup()
    {
        BuildData();
        _index = new ConcentrationIndex(new ConcentrationOptions { InitialCapacity = N });
        _set = new SortedSet<(long, string)>(RankOrder.Instance);
        for (int i = 0; i < N; i++)
        {
            _index.Set(Ids[i], Totals[i]);
            _set.Add((Totals[i], Ids[i]));
            _setTotal += Totals[i];
        }
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "Index: Set")]
    public Int128 IndexSet()
    {
        for (int i = 0; i < Batch; i++)
        {
            _index.Set(Ids[NextAccount()], NextTotal());
        }

        return _index.TotalRevenueMinor;
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "Index: Set + ParetoShare")]
    public double IndexSetAndPareto()
    {
        double sum = 0;
        for (int i = 0; i < Batch; i++)
        {
            _index.Set(Ids[NextAccount()], NextTotal());
            sum += _index.ParetoShare();
        }

        return sum;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch, Description = "SortedSet: remove + add")]
    public Int128 SortedSetUpdate()
    {
        for (int i = 0; i < Batch; i++)
        {
            UpdateSet(NextAccount(), NextTotal());
        }

        return _setTotal;
    }

    [Benchmark(OperationsPerInvoke = ParetoBatch, Description = "SortedSet: remove + add + Pareto by enumeration")]
    public double SortedSetUpdateAndPareto()
    {
        double sum = 0;
        for (int i = 0; i < ParetoBatch; i++)
        {
            UpdateSet(NextAccount(), NextTotal());
            int k = (_set.Count + 4) / 5;
            Int128 top = 0;
            foreach ((long revenue, _) in _set)
            {
                if (k-- == 0)
                {
                    break;
                }

                top += revenue;
            }

            sum += ExactRatio.ToDouble(top, _setTotal);
        }

        return sum;
    }

    private void UpdateSet(int account, long total)
    {
        _set.Remove((Totals[account], Ids[account]));
        _setTotal -= Totals[account];
        Totals[account] = total;
        _set.Add((Totals[account], Ids[account]));
        _setTotal += Totals[account];
    }

    private sealed class RankOrder : IComparer<(long Revenue, string Id)>
    {
        public static readonly RankOrder Instance = new();

        public int Compare((long Revenue, string Id) x, (long Revenue, string Id) y)
        {
            int byRevenue = y.Revenue.CompareTo(x.Revenue); // descending
            return byRevenue != 0 ? byRevenue : string.CompareOrdinal(x.Id, y.Id);
        }
    }
}

/// <summary>Read-side costs on the same data: all headline figures, one account's rank, a 100-row snapshot.</summary>
[MemoryDiagnoser]
public class IndexQueryBenchmarks : RankingFixture
{
    private ConcentrationIndex _index = null!;

    [GlobalSetup]
    public void Setup()
    {
        BuildData();
        _index = new ConcentrationIndex(new ConcentrationOptions { InitialCapacity = N });
        for (int i = 0; i < N; i++)
        {
            _index.Set(Ids[i], Totals[i]);
        }
    }

    [Benchmark(Description = "GetFigures (all headline figures)")]
    public ConcentrationFigures Figures() => _index.GetFigures();

    [Benchmark(Description = "GetRank")]
    public AccountRank? Rank() => _index.GetRank(Ids[NextAccount()]);

    [Benchmark(Description = "Snapshot(100)")]
    public ConcentrationSnapshot Snapshot() => _index.Snapshot(100);
}
