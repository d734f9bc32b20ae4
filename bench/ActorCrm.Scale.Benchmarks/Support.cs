namespace ActorCrm.Scale.Benchmarks;

/// <summary>p50 and p99 of a set of latencies, in milliseconds.</summary>
public sealed record LatencySummary(int Count, double P50Ms, double P99Ms)
{
    /// <summary>Nearest-rank percentiles (exact, from a sorted copy).</summary>
    public static LatencySummary Of(IEnumerable<double> latenciesMs)
    {
        double[] sorted = latenciesMs.Order().ToArray();
        if (sorted.Length == 0)
        {
            return new LatencySummary(0, 0, 0);
        }

        double At(double percentile) => sorted[Math.Max(0, (int)Math.Ceiling(percentile / 100 * sorted.Length) - 1)];
        return new LatencySummary(sorted.Length, Math.Round(At(50), 2), Math.Round(At(99), 2));
    }
}

/// <summary>The first few error messages (thread-safe), so a failing run shows what went wrong without flooding.</summary>
public sealed class ErrorSamples
{
    public const int Kept = 5;
    private readonly List<string> _samples = [];

    public void Add(string message)
    {
        lock (_samples)
        {
            if (_samples.Count < Kept)
            {
                _samples.Add(message);
            }
        }
    }

    public IReadOnlyList<string> ToList()
    {
        lock (_samples)
        {
            return [.. _samples];
        }
    }
}

/// <summary>Progress lines on stderr during long phases.</summary>
public static class Progress
{
    /// <summary>Calls <paramref name="report"/> every <paramref name="interval"/> until disposed.</summary>
    public static IDisposable Every(TimeSpan interval, Action report) => new Timer(_ => report(), null, interval, interval);
}
