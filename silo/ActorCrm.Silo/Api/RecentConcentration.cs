using System.Collections.Concurrent;
using System.Diagnostics;
using ActorCrm.Grains.Ranking;
using Proto = ActorCrm.Api.V1;

namespace ActorCrm.Silo.Api;

/// <summary>
/// GetConcentration replies per scope, shared by the calls of the next <see cref="MaxAge"/> on this
/// silo. Every call used to go through the one ranking activation of its scope (a grain hop each,
/// all on one activation's scheduler: 0.45× a bare gRPC service); the figures themselves only change
/// when the ranking publishes (at most every Ranking:FlushIntervalMs, 200 ms), so a reply at most
/// 50 ms older than the ranking's adds little to what a reader already accepts. Calls that miss at
/// the same moment may each fetch; a failed fetch is never reused.
/// </summary>
public sealed class RecentConcentration
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMilliseconds(50);

    private readonly ConcurrentDictionary<RankingScope, (Task<Proto.Concentration> Reply, long FetchedAt)> _replies = new();

    public Task<Proto.Concentration> GetAsync(RankingScope scope, Func<Task<Proto.Concentration>> fetch)
    {
        long now = Stopwatch.GetTimestamp();
        if (_replies.TryGetValue(scope, out var held) && !held.Reply.IsFaulted && !held.Reply.IsCanceled
            && Stopwatch.GetElapsedTime(held.FetchedAt, now) < MaxAge)
            return held.Reply;
        var reply = fetch();
        _replies[scope] = (reply, now);
        return reply;
    }
}
