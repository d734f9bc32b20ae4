using System.Diagnostics;
using System.Globalization;

namespace ActorCrm.Ranking.Benchmarks;

/// <summary>
/// The ranking core's two scaling figures for <c>bench/run</c> (issue #13, parts 5 and 7), without
/// BenchmarkDotNet's minutes of warm-up: the cost of one update of an existing account's total, and the
/// managed bytes per account (ids included: the index holds them), at each n. Prints one line per n:
/// <c>core n=1000000 update_ns=412.3 bytes_per_account=121.4 pareto_share=0.53</c>.
/// </summary>
public static class CoreFigures
{
    private const int Updates = 1_000_000;
    private const int Rounds = 3;

    public static void Run(IEnumerable<int> sizes)
    {
        foreach (int n in sizes)
        {
            var rng = new Random(42);
            long before = GC.GetTotalMemory(forceFullCollection: true);
            var index = new ConcentrationIndex(new ConcentrationOptions { InitialCapacity = n });
            for (int i = 0; i < n; i++)
            {
                index.Set($"acct-{i:D7}", RankingFixture.RandomTotalOf(rng));
            }

            double bytesPerAccount = (GC.GetTotalMemory(forceFullCollection: true) - before) / (double)n;

            // Updates of random existing accounts to random new totals; the median of three rounds.
            string[] ids = Enumerable.Range(0, n).Select(i => $"acct-{i:D7}").ToArray();
            int[] targets = Enumerable.Range(0, Updates).Select(_ => rng.Next(n)).ToArray();
            long[] totals = Enumerable.Range(0, Updates).Select(_ => RankingFixture.RandomTotalOf(rng)).ToArray();
            var rounds = new double[Rounds];
            for (int round = 0; round < Rounds; round++)
            {
                long start = Stopwatch.GetTimestamp();
                for (int u = 0; u < Updates; u++)
                {
                    index.Set(ids[targets[u]], totals[u]);
                }

                rounds[round] = Stopwatch.GetElapsedTime(start).TotalNanoseconds / Updates;
            }

            Array.Sort(rounds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"core n={n} update_ns={rounds[Rounds / 2]:0.0} bytes_per_account={bytesPerAccount:0.0} pareto_share={index.ParetoShare():0.0000}"));
            GC.KeepAlive(index);
        }
    }
}
