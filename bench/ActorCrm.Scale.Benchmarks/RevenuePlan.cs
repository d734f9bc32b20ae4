using ActorCrm.Api.V1;
using Google.Protobuf.WellKnownTypes;

namespace ActorCrm.Scale.Benchmarks;

/// <summary>One IngestRevenue batch and, per event, the number of its account (for the expected totals).</summary>
public sealed record RevenueBatch(RecordRevenueRequest Request, int[] AccountNumbers);

/// <summary>
/// The revenue events, generated lazily batch by batch and deterministic for (N, E, seed, anchor).
/// The same shape as tools/cli-bench/gen_revenue.py (not the same numbers: that script uses Python's
/// generator): account weights min(Pareto(1.16), 50) — 80/20-ish, capped so that no account nears the
/// ledger's 100,000-event limit —, each event on an account picked by weight, dated anchor − (1 … 299
/// days) − (0 … 8 h) − (0 … 59 min), amount ⌊lognormal(12.2, 0.9) · 100⌋ fen, event ids e-000000000 …
/// unique over the run.
/// </summary>
public sealed class RevenuePlan(int accountCount, long eventCount, int seed, DateTimeOffset anchor)
{
    public const string Currency = "CNY"; // the silo's default reporting currency (Ranking:Currency)
    private const double Alpha = 1.16;
    private const double MaxWeight = 50.0;

    public long EventCount => eventCount;

    public DateTimeOffset Anchor => anchor;

    public static string EventId(long index) => $"e-{index:D9}";

    public IEnumerable<RevenueBatch> Batches(int batchSize)
    {
        // Its own generator (not the account plan's), so the events do not change with the account shape.
        var random = new Random(unchecked(seed * 7919 + 104_729));
        var cumulative = new double[accountCount];
        double total = 0;
        for (int i = 0; i < accountCount; i++)
        {
            total += Math.Min(Distributions.Pareto(random, Alpha), MaxWeight);
            cumulative[i] = total;
        }

        for (long first = 0; first < eventCount; first += batchSize)
        {
            int size = (int)Math.Min(batchSize, eventCount - first);
            var request = new RecordRevenueRequest();
            var numbers = new int[size];
            for (int j = 0; j < size; j++)
            {
                int number = Pick(cumulative, random.NextDouble() * total) + 1;
                DateTimeOffset occurredAt = anchor
                    - TimeSpan.FromDays(random.Next(1, 300))
                    - TimeSpan.FromHours(random.Next(0, 9))
                    - TimeSpan.FromMinutes(random.Next(0, 60));
                request.Events.Add(new RevenueEvent
                {
                    EventId = EventId(first + j),
                    AccountId = AccountPlan.AccountId(number),
                    AmountMinor = (long)(Distributions.LogNormal(random, 12.2, 0.9) * 100),
                    CurrencyCode = Currency,
                    OccurredAt = Timestamp.FromDateTimeOffset(occurredAt),
                });
                numbers[j] = number;
            }

            yield return new RevenueBatch(request, numbers);
        }
    }

    /// <summary>Python's bisect_right: the first index whose cumulative weight exceeds x.</summary>
    private static int Pick(double[] cumulative, double x)
    {
        int index = Array.BinarySearch(cumulative, x);
        index = index < 0 ? ~index : index + 1;
        return Math.Min(index, cumulative.Length - 1);
    }
}

/// <summary>The two skewed distributions, written as Python's random module defines them.</summary>
public static class Distributions
{
    /// <summary>random.paretovariate(alpha): (1 − U)^(−1/alpha), at least 1.</summary>
    public static double Pareto(Random random, double alpha) => Math.Pow(1.0 - random.NextDouble(), -1.0 / alpha);

    /// <summary>random.lognormvariate(mu, sigma): e^N(mu, sigma) (the normal by Box–Muller).</summary>
    public static double LogNormal(Random random, double mu, double sigma)
    {
        double u1 = 1.0 - random.NextDouble(); // (0, 1]: the logarithm stays finite
        double u2 = random.NextDouble();
        double normal = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        return Math.Exp(mu + sigma * normal);
    }
}
