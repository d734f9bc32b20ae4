using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace ActorCrm.Silo.Security;

/// <summary>
/// Per-caller limits, answered with RESOURCE_EXHAUSTED (a gRPC status: ASP.NET Core's own limiter
/// would answer HTTP 429, which gRPC clients see as UNAVAILABLE and retry): calls per second (a
/// token bucket per caller id, RateLimits:RequestsPerSecond, overridable per API key; 0 = none)
/// and open streams (RateLimits:MaxStreamsPerCaller).
/// </summary>
public sealed class CallerLimits(IOptions<RateLimitOptions> options)
{
    private readonly ConcurrentDictionary<string, TokenBucketRateLimiter?> _buckets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _openStreams = new(StringComparer.Ordinal);

    /// <summary>Takes one call from the caller's budget, or RESOURCE_EXHAUSTED.</summary>
    public void Admit(Caller caller)
    {
        if (caller.RequestsPerSecond == 0) return; // unlimited (e.g. the local admin): nothing to count
        var bucket = _buckets.GetOrAdd(caller.Id, static (_, state) => state.Limits.BucketFor(state.Limits.RateOf(state.Caller)), (Limits: this, Caller: caller));
        if (bucket is null) return;
        using var lease = bucket.AttemptAcquire();
        if (!lease.IsAcquired)
            throw new RpcException(new Status(StatusCode.ResourceExhausted,
                $"{caller.Id} exceeded {RateOf(caller)} calls per second; retry with backoff"));
    }

    /// <summary>Counts an open stream of the caller (RESOURCE_EXHAUSTED past the cap); dispose it when the stream ends.</summary>
    public IDisposable OpenStream(Caller caller)
    {
        var open = _openStreams.AddOrUpdate(caller.Id, 1, (_, n) => n + 1);
        var stream = new OpenStreamLease(this, caller.Id);
        if (options.Value.MaxStreamsPerCaller > 0 && open > options.Value.MaxStreamsPerCaller)
        {
            stream.Dispose();
            throw new RpcException(new Status(StatusCode.ResourceExhausted,
                $"{caller.Id} has {options.Value.MaxStreamsPerCaller} streams open already; close one first"));
        }
        return stream;
    }

    private int RateOf(Caller caller) => caller.RequestsPerSecond ?? options.Value.RequestsPerSecond;

    private TokenBucketRateLimiter? BucketFor(int rate)
    {
        if (rate <= 0) return null;
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, (int)(rate * options.Value.BurstSeconds)),
            TokensPerPeriod = Math.Max(1, rate / 10),
            ReplenishmentPeriod = TimeSpan.FromMilliseconds(100),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    private sealed class OpenStreamLease(CallerLimits limits, string callerId) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) limits._openStreams.AddOrUpdate(callerId, 0, (_, n) => n - 1);
        }
    }
}

/// <summary>RateLimits:* settings.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Calls per second per caller (an API key's name or a token's user); 0 = unlimited.</summary>
    public int RequestsPerSecond { get; set; } = 1_000;

    /// <summary>How many seconds' worth of calls a caller may send at once after being idle.</summary>
    public double BurstSeconds { get; set; } = 2;

    /// <summary>Streams (watches, ingest) one caller may hold open at once; 0 = unlimited.</summary>
    public int MaxStreamsPerCaller { get; set; } = 100;
}
