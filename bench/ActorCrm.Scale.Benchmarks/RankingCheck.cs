using System.Diagnostics;
using ActorCrm.Api.V1;
using Grpc.Core;

namespace ActorCrm.Scale.Benchmarks;

/// <summary>The ranking before the run: the listed (positive) account totals and how many accounts are ≤ 0.</summary>
public sealed record Baseline(IReadOnlyDictionary<string, long> Totals, long NonPositiveCount)
{
    public bool IsEmpty => Totals.Count == 0 && NonPositiveCount == 0;
}

/// <summary>Outcome of the ranking check.</summary>
/// <param name="LagSeconds">From the last revenue acknowledgement to the first answer that matched.</param>
/// <param name="Actual">The last answer (null if none came).</param>
public sealed record RankingCheckResult(
    bool Exact, double? LagSeconds, CheckedFigures Expected, CheckedFigures? Actual,
    IReadOnlyList<string> Differences, IReadOnlyList<string> Errors);

/// <summary>Reads RankingService.GetConcentration (account scope): once before the run, then until it matches.</summary>
public sealed class RankingCheck(RankingService.RankingServiceClient ranking)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// What the ranking already holds (empty on a fresh silo). A second run with the same seed, or a silo
    /// with other data, then still has exact expected figures: baseline + what this run stored.
    /// </summary>
    public async Task<Baseline> ReadBaselineAsync(CancellationToken cancel)
    {
        Concentration now = await GetAsync(cancel);
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        if (now.AccountCount > 0)
        {
            var request = new ListTopAccountsRequest { PageSize = 1000, Scope = RankingScope.Account };
            do
            {
                ListTopAccountsResponse page = await ranking.ListTopAccountsAsync(request,
                    deadline: DateTime.UtcNow + CallTimeout, cancellationToken: cancel);
                foreach (TopAccountRow row in page.Rows)
                {
                    totals[row.AccountId] = row.RevenueMinor;
                }

                request.PageToken = page.NextPageToken;
            }
            while (request.PageToken.Length > 0);
        }

        return new Baseline(totals, now.NonPositiveCount);
    }

    /// <summary>Polls every 50 ms until the figures equal <paramref name="expected"/> or <paramref name="timeout"/> passes.</summary>
    /// <param name="lastAck">Stopwatch timestamp of the last revenue acknowledgement (the lag is measured from it).</param>
    public async Task<RankingCheckResult> WaitForAsync(ExpectedFigures expected, long lastAck, TimeSpan timeout, CancellationToken cancel)
    {
        long start = Stopwatch.GetTimestamp();
        var errors = new ErrorSamples();
        CheckedFigures want = expected.For(ActorCrm.Ranking.ConcentrationOptions.DefaultTopShareKs);
        CheckedFigures? actual = null;
        IReadOnlyList<string> differences = [];
        while (true)
        {
            try
            {
                Concentration now = await GetAsync(cancel);
                actual = CheckedFigures.From(now);
                want = expected.For(now.TopShares.Select(t => t.Count));
                differences = want.DifferencesFrom(actual);
                if (differences.Count == 0)
                {
                    return new RankingCheckResult(true, Stopwatch.GetElapsedTime(lastAck).TotalSeconds, want, actual, [], errors.ToList());
                }
            }
            catch (RpcException error) when (!cancel.IsCancellationRequested)
            {
                errors.Add($"GetConcentration: {error.StatusCode}: {error.Status.Detail}");
            }

            if (Stopwatch.GetElapsedTime(start) >= timeout)
            {
                return new RankingCheckResult(false, null, want, actual, differences, errors.ToList());
            }

            await Task.Delay(PollInterval, cancel);
        }
    }

    /// <summary>Calls GetConcentration <paramref name="count"/> times, one at a time, after 200 warm-up calls: the latency a dashboard sees.</summary>
    public async Task<LatencySummary> MeasureReadsAsync(int count, CancellationToken cancel)
    {
        for (int i = 0; i < 200; i++)
        {
            await GetAsync(cancel);
        }

        var latencies = new double[count];
        for (int i = 0; i < count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            await GetAsync(cancel);
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        return LatencySummary.Of(latencies);
    }

    private async Task<Concentration> GetAsync(CancellationToken cancel) =>
        await ranking.GetConcentrationAsync(new GetConcentrationRequest { Scope = RankingScope.Account },
            deadline: DateTime.UtcNow + CallTimeout, cancellationToken: cancel);
}
