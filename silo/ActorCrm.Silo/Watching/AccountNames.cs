using System.Collections.Concurrent;
using ActorCrm.Domain.Model;
using ActorCrm.Silo.Api;

namespace ActorCrm.Silo.Watching;

/// <summary>
/// Names and tiers of ranked accounts for the concentration streams, cached for a short while: the
/// top rows change with every snapshot, their names almost never, and a dashboard stream must not
/// cost a hundred account reads a second.
/// </summary>
public sealed class AccountNames(IGrainFactory grains, TimeProvider time)
{
    private static readonly TimeSpan Freshness = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, (AccountView? View, DateTimeOffset Read)> _cache = new(StringComparer.Ordinal);

    public async Task<AccountView?[]> GetAsync(IEnumerable<string> accountIds) =>
        await Task.WhenAll(accountIds.Select(GetAsync));

    private async Task<AccountView?> GetAsync(string accountId)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(accountId, out var cached) && now - cached.Read < Freshness) return cached.View;
        var view = await grains.TryGetAccountAsync(accountId);
        _cache[accountId] = (view, now);
        if (_cache.Count > 10_000) _cache.Clear(); // bounded: the top rows of a few scopes fit many times over
        return view;
    }
}
