using System.Collections.Concurrent;
using System.Diagnostics;

namespace ActorCrm.Silo.Api;

/// <summary>
/// Ranking replies shared by the calls of the next <see cref="MaxAge"/> on this silo, per request
/// key: GetConcentration per scope, ListTopAccounts per page, GetAccountRank per account. Every such
/// call used to go through the one ranking activation of its scope (a grain hop each, all on one
/// activation's scheduler: 0.35–0.45× a bare gRPC service); the ranking itself only changes when it
/// applies a flush (at most every Ranking:FlushIntervalMs, 200 ms), so a reply at most 50 ms older
/// than the ranking's adds little to what a reader of the ranking already accepts. Calls that miss at
/// the same moment may each fetch; a failed fetch is never reused. Held replies are dropped once they
/// are stale and the table is large, so a scan over many accounts does not grow it without bound.
/// </summary>
public sealed class RecentReplies<TKey, TReply> where TKey : notnull
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMilliseconds(50);

    /// <summary>Above this many held replies, a fetch first drops the stale ones.</summary>
    public const int PruneAbove = 10_000;

    private readonly ConcurrentDictionary<TKey, (Task<TReply> Reply, long FetchedAt)> _replies = new();

    public int Count => _replies.Count;

    public Task<TReply> GetAsync(TKey key, Func<Task<TReply>> fetch)
    {
        long now = Stopwatch.GetTimestamp();
        if (_replies.TryGetValue(key, out var held) && !held.Reply.IsFaulted && !held.Reply.IsCanceled
            && Stopwatch.GetElapsedTime(held.FetchedAt, now) < MaxAge)
            return held.Reply;
        if (_replies.Count >= PruneAbove) Prune(now);
        var reply = fetch();
        _replies[key] = (reply, now);
        return reply;
    }

    private void Prune(long now)
    {
        foreach (var (key, held) in _replies)
            if (Stopwatch.GetElapsedTime(held.FetchedAt, now) >= MaxAge) _replies.TryRemove(key, out _);
    }
}
