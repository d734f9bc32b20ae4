using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using StackExchange.Redis;

namespace ActorCrm.Scale.Benchmarks;

/// <summary>One peer's concentration query: its latency, what it answered, and whether that equals our figures.</summary>
public sealed record PeerQuery(string Peer, LatencySummary Latency, double ParetoShare, double? Hhi, double? Gini, string? Mismatch, long? BytesPerMember = null);

/// <summary>
/// Issue #13, part 4: the concentration figures computed by the tools a user would pick instead, over
/// the same window totals the silo ranks (every planned account, zero where it has no revenue):
/// PostgreSQL with window functions over a table of totals (top-20 % share, HHI, Gini, exact numeric
/// arithmetic), and Redis, which can only give the top-20 % share (ZRANGE … REV WITHSCORES of the top
/// ⌈0.2·n⌉ members plus a client-side sum, the total kept in a counter key). Each answer must equal the
/// figures we publish (to 1e-9, relative) or the run fails.
/// </summary>
public static class ConcentrationPeers
{
    private const double Tolerance = 1e-9;

    /// <summary>The figures as SQL: n = accounts with a positive total; W = Σ rank·x with rank 1 the largest.</summary>
    private const string FiguresSql = """
        WITH ranked AS (
          SELECT revenue::numeric AS x,
                 row_number() OVER (ORDER BY revenue DESC) AS rk,
                 count(*) OVER () AS n,
                 sum(revenue) OVER () AS total
          FROM window_totals
          WHERE revenue > 0)
        SELECT (sum(x) FILTER (WHERE rk <= ceil(0.2 * n)) / max(total))::float8 AS pareto_share,
               (sum(x * x) / (max(total) * max(total)))::float8 AS hhi,
               (((max(n) + 1) * max(total) - 2 * sum(rk * x)) / (max(n) * max(total)))::float8 AS gini
        FROM ranked
        """;

    public static async Task<PeerQuery> PostgresAsync(string connectionString, IReadOnlyDictionary<string, long> totals, int plannedAccounts,
        CheckedFigures expected, int runs, Action<string> log, CancellationToken cancel)
    {
        await using NpgsqlDataSource source = NpgsqlDataSource.Create(connectionString);
        await using (NpgsqlCommand create = source.CreateCommand(
            "DROP TABLE IF EXISTS window_totals; CREATE UNLOGGED TABLE window_totals (account_id text PRIMARY KEY, revenue bigint NOT NULL)"))
        {
            await create.ExecuteNonQueryAsync(cancel);
        }

        log($"postgres: copying {plannedAccounts:N0} window totals");
        await using (NpgsqlConnection connection = await source.OpenConnectionAsync(cancel))
        await using (NpgsqlBinaryImporter copy = await connection.BeginBinaryImportAsync("COPY window_totals (account_id, revenue) FROM STDIN (FORMAT BINARY)", cancel))
        {
            foreach ((string id, long total) in AllTotals(totals, plannedAccounts))
            {
                await copy.StartRowAsync(cancel);
                await copy.WriteAsync(id, NpgsqlDbType.Text, cancel);
                await copy.WriteAsync(total, NpgsqlDbType.Bigint, cancel);
            }

            await copy.CompleteAsync(cancel);
        }

        await using (NpgsqlCommand analyze = source.CreateCommand("ANALYZE window_totals"))
        {
            await analyze.ExecuteNonQueryAsync(cancel);
        }

        (double Pareto, double Hhi, double Gini) answer = default;
        var latencies = new List<double>();
        for (int run = 0; run <= runs; run++) // run 0 warms the cache and is not counted
        {
            long start = Stopwatch.GetTimestamp();
            await using NpgsqlCommand query = source.CreateCommand(FiguresSql);
            await using NpgsqlDataReader reader = await query.ExecuteReaderAsync(cancel);
            await reader.ReadAsync(cancel);
            answer = (reader.GetDouble(0), reader.GetDouble(1), reader.GetDouble(2));
            if (run > 0) latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        string? mismatch = Differences(("pareto_share", answer.Pareto, expected.ParetoShare), ("hhi", answer.Hhi, expected.Hhi), ("gini", answer.Gini, expected.Gini));
        return new PeerQuery("PostgreSQL", LatencySummary.Of(latencies), answer.Pareto, answer.Hhi, answer.Gini, mismatch);
    }

    public static async Task<PeerQuery> RedisAsync(string endpoint, IReadOnlyDictionary<string, long> totals,
        CheckedFigures expected, int runs, Action<string> log, CancellationToken cancel)
    {
        const string RankingKey = "bench:window-totals";
        const string TotalKey = "bench:window-total";
        using ConnectionMultiplexer redis = await ConnectionMultiplexer.ConnectAsync($"{endpoint},allowAdmin=true,syncTimeout=60000,asyncTimeout=60000");
        IServer server = redis.GetServer(redis.GetEndPoints()[0]);
        await server.FlushDatabaseAsync();
        long before = UsedMemory(await server.InfoAsync("memory"));

        log($"redis: adding {totals.Count:N0} positive window totals to a sorted set");
        IDatabase db = redis.GetDatabase();
        var pending = new List<Task>();
        foreach (KeyValuePair<string, long>[] chunk in totals.Where(t => t.Value > 0).Chunk(1_000))
        {
            pending.Add(db.SortedSetAddAsync(RankingKey, chunk.Select(t => new SortedSetEntry(t.Key, t.Value)).ToArray()));
            if (pending.Count == 64)
            {
                await Task.WhenAll(pending);
                pending.Clear();
            }
        }

        await Task.WhenAll(pending);
        long members = await db.SortedSetLengthAsync(RankingKey);
        long bytesPerMember = members == 0 ? 0 : (UsedMemory(await server.InfoAsync("memory")) - before) / members;
        await db.StringSetAsync(TotalKey, totals.Values.Where(v => v > 0).Sum());

        double share = 0;
        var latencies = new List<double>();
        for (int run = 0; run <= runs; run++)
        {
            long start = Stopwatch.GetTimestamp();
            long n = await db.SortedSetLengthAsync(RankingKey);
            long k = (long)Math.Ceiling(0.2 * n);
            Task<RedisValue> total = db.StringGetAsync(TotalKey);
            SortedSetEntry[] top = await db.SortedSetRangeByRankWithScoresAsync(RankingKey, 0, k - 1, Order.Descending);
            long sum = 0;
            foreach (SortedSetEntry entry in top)
            {
                sum += (long)entry.Score;
            }

            share = n == 0 ? 0 : sum / (double)(long)await total;
            if (run > 0) latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        return new PeerQuery("Redis", LatencySummary.Of(latencies), share, null, null,
            Differences(("pareto_share", share, expected.ParetoShare)), bytesPerMember);
    }

    /// <summary>Every planned account's window total, zero for those without revenue.</summary>
    private static IEnumerable<(string Id, long Total)> AllTotals(IReadOnlyDictionary<string, long> totals, int plannedAccounts)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int number = 1; number <= plannedAccounts; number++)
        {
            string id = AccountPlan.AccountId(number);
            seen.Add(id);
            yield return (id, totals.GetValueOrDefault(id));
        }

        foreach ((string id, long total) in totals)
        {
            if (!seen.Contains(id)) yield return (id, total);
        }
    }

    private static long UsedMemory(IGrouping<string, KeyValuePair<string, string>>[] info) =>
        long.Parse(info.SelectMany(g => g).First(p => p.Key == "used_memory").Value, CultureInfo.InvariantCulture);

    private static string? Differences(params (string Name, double Theirs, double Ours)[] figures)
    {
        var wrong = figures.Where(f => Math.Abs(f.Theirs - f.Ours) > Tolerance * Math.Max(1, Math.Abs(f.Ours)))
            .Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Name} {f.Theirs:R} ≠ ours {f.Ours:R}")).ToList();
        return wrong.Count == 0 ? null : string.Join(", ", wrong);
    }
}
