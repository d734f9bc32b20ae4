using System.Diagnostics;
using StackExchange.Redis;

namespace ActorCrm.Scale.Benchmarks;

/// <summary>What the Redis peer measured: events/s, how many it stored, and whether its ranking equals the expected totals.</summary>
public sealed record RedisPeerResult(long Events, long Stored, double Seconds, bool Exact, string? Mismatch, double ClientCpuSeconds)
{
    public double EventsPerSecond => Events / Seconds;
}

/// <summary>
/// The same revenue events (<see cref="RevenuePlan"/>, same batches) against Redis doing the same
/// exactly-once bookkeeping per event, as issue #13 defines it: one Lua call per event that adds the
/// event id to the account's id set and, only if it was new, adds the amount to the account's day
/// bucket (a hash) and to the ranking (a sorted set); <c>streams</c> × <c>inFlight</c> batches
/// pipelined at once. No window, no ageing, no hierarchy: less than the silo does. At the end the
/// sorted set must equal the totals of the events sent.
/// </summary>
public sealed class RedisPeer(string endpoint, int streams, int inFlight)
{
    private const string Bookkeeping = """
        if redis.call('SADD', KEYS[1], ARGV[1]) == 1 then
          redis.call('HINCRBY', KEYS[2], ARGV[2], ARGV[3])
          redis.call('ZINCRBY', KEYS[3], ARGV[3], ARGV[4])
          return 1
        end
        return 0
        """;

    private const string RankingKey = "bench:rank";

    public async Task<RedisPeerResult> RunAsync(RevenuePlan plan, int accountCount, int batchSize, Action<string> progress)
    {
        using var redis = await ConnectionMultiplexer.ConnectAsync($"{endpoint},allowAdmin=true,syncTimeout=30000,asyncTimeout=60000");
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        await server.FlushDatabaseAsync();
        var db = redis.GetDatabase();
        byte[] sha = (byte[])(await server.ScriptLoadAsync(Bookkeeping))!;

        var totals = new long[accountCount + 1];
        long stored = 0;
        long cpuBefore = (long)Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;
        var clock = Stopwatch.StartNew();
        var batches = plan.Batches(batchSize).GetEnumerator();
        var gate = new object();
        long sent = 0;

        async Task WorkerAsync()
        {
            while (true)
            {
                RevenueBatch? batch;
                lock (gate)
                {
                    batch = batches.MoveNext() ? batches.Current : null;
                }

                if (batch is null)
                {
                    return;
                }

                var calls = new Task<RedisResult>[batch.Request.Events.Count];
                for (int i = 0; i < calls.Length; i++)
                {
                    var e = batch.Request.Events[i];
                    string day = e.OccurredAt.ToDateTimeOffset().UtcDateTime.ToString("yyyy-MM-dd");
                    calls[i] = db.ScriptEvaluateAsync(sha,
                        [$"ids:{e.AccountId}", $"days:{e.AccountId}", RankingKey],
                        [e.EventId, day, e.AmountMinor, e.AccountId]);
                }

                var answers = await Task.WhenAll(calls);
                lock (gate)
                {
                    for (int i = 0; i < answers.Length; i++)
                    {
                        if ((long)answers[i] != 1)
                        {
                            continue;
                        }

                        stored++;
                        totals[batch.AccountNumbers[i]] += batch.Request.Events[i].AmountMinor;
                    }

                    sent += answers.Length;
                    if (sent % (batchSize * 20) == 0)
                    {
                        progress($"redis: {sent:N0}/{plan.EventCount:N0} events answered ({sent / clock.Elapsed.TotalSeconds:N0}/s)");
                    }
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, streams * inFlight).Select(_ => WorkerAsync()));
        double seconds = clock.Elapsed.TotalSeconds;
        double cpu = ((long)Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds - cpuBefore) / 1000.0;

        var ranked = await db.SortedSetRangeByRankWithScoresAsync(RankingKey);
        var actual = ranked.ToDictionary(entry => (string)entry.Element!, entry => (long)entry.Score, StringComparer.Ordinal);
        string? mismatch = null;
        int withRevenue = 0;
        for (int number = 1; number <= accountCount && mismatch is null; number++)
        {
            if (totals[number] == 0)
            {
                continue;
            }

            withRevenue++;
            string id = AccountPlan.AccountId(number);
            if (actual.GetValueOrDefault(id) != totals[number])
            {
                mismatch = $"{id}: ranked {actual.GetValueOrDefault(id)}, sent {totals[number]}";
            }
        }

        if (mismatch is null && actual.Count != withRevenue)
        {
            mismatch = $"{actual.Count} accounts ranked, {withRevenue} got revenue";
        }

        return new RedisPeerResult(plan.EventCount, stored, seconds, mismatch is null, mismatch, cpu);
    }
}
