using ActorCrm.Grains.Diagnostics;
using ActorCrm.Grains.Ranking;
using ActorCrm.Grains.Watching;

namespace ActorCrm.Silo.Watching;

/// <summary>
/// The silo's fan-out point for live updates. However many gRPC streams on this silo watch a grain,
/// the grain knows one observer (a <see cref="Feed{T}"/>) and sends one message per change to this
/// silo; the feed hands it to each stream's latest-value <see cref="Inbox{T}"/>. The last stream to
/// leave unregisters the observer. Every <see cref="WatchTimings.Renewal"/> each feed renews its
/// registration, which also takes the grain's current state: that heals a lost notification and
/// re-attaches to a grain that moved after a silo failure.
/// </summary>
public sealed class WatchHub(IGrainFactory grains, ILogger<WatchHub> logger) : BackgroundService
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, AccountFeed> _accounts = new(StringComparer.Ordinal);
    private readonly Dictionary<RankingScope, ConcentrationFeed> _rankings = [];
    private int _subscriptions;

    /// <summary>Live streams on this silo (account and concentration watches).</summary>
    public int ActiveSubscriptions => Volatile.Read(ref _subscriptions);

    /// <summary>Grains this silo observes.</summary>
    public int WatchedGrains
    {
        get
        {
            lock (_gate) return _accounts.Count + _rankings.Count;
        }
    }

    /// <summary>Subscribes a stream to an account; the first value is its current state. NOT_FOUND (CrmException) if it does not exist.</summary>
    public Task<(WatchSubscription<AccountSnapshot> Subscription, AccountFeed Feed)> WatchAccountAsync(string accountId) =>
        JoinAsync<string, AccountSnapshot, AccountFeed>("account", _accounts, accountId, () => new AccountFeed(grains, accountId));

    /// <summary>Subscribes a stream to a ranking; the first value is its current snapshot.</summary>
    public async Task<WatchSubscription<PublishedConcentration>> WatchConcentrationAsync(RankingScope scope) =>
        (await JoinAsync<RankingScope, PublishedConcentration, ConcentrationFeed>("concentration", _rankings, scope, () => new ConcentrationFeed(grains, scope))).Item1;

    private async Task<(WatchSubscription<T>, TFeed)> JoinAsync<TKey, T, TFeed>(string kind, Dictionary<TKey, TFeed> feeds, TKey key, Func<TFeed> create)
        where TKey : notnull where T : class where TFeed : Feed<T>
    {
        var inbox = new Inbox<T>();
        TFeed feed;
        lock (_gate)
        {
            if (!feeds.TryGetValue(key, out feed!))
            {
                feeds[key] = feed = create();
                feed.Attached = AttachAsync(feed);
            }
            feed.Add(inbox);
            _subscriptions++;
        }
        ActorCrmMetrics.SubscriptionsChanged(kind, +1);
        var subscription = new WatchSubscription<T>(inbox.Reader, () => LeaveAsync(kind, feeds, key, feed, inbox));
        try
        {
            await feed.Attached;
        }
        catch
        {
            await subscription.DisposeAsync();
            throw;
        }
        return (subscription, feed);
    }

    private static async Task AttachAsync<T>(Feed<T> feed) where T : class => feed.Accept(await feed.WatchGrainAsync());

    private async ValueTask LeaveAsync<TKey, T, TFeed>(string kind, Dictionary<TKey, TFeed> feeds, TKey key, TFeed feed, Inbox<T> inbox)
        where TKey : notnull where T : class where TFeed : Feed<T>
    {
        ActorCrmMetrics.SubscriptionsChanged(kind, -1);
        lock (_gate)
        {
            _subscriptions--;
            if (!feed.Remove(inbox)) return;
            if (feeds.TryGetValue(key, out var current) && ReferenceEquals(current, feed)) feeds.Remove(key);
        }
        try
        {
            await feed.UnwatchGrainAsync();
        }
        catch (Exception error)
        {
            // The grain drops the observer when it is not renewed.
            logger.LogDebug(error, "Unwatching {Key} failed", key);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(WatchTimings.Renewal);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            Feed<AccountSnapshot>[] accounts;
            Feed<PublishedConcentration>[] rankings;
            lock (_gate)
            {
                accounts = [.. _accounts.Values];
                rankings = [.. _rankings.Values];
            }
            await Task.WhenAll(accounts.Select(RenewAsync).Concat(rankings.Select(RenewAsync)));
        }
    }

    private async Task RenewAsync<T>(Feed<T> feed) where T : class
    {
        try
        {
            feed.Accept(await feed.WatchGrainAsync());
        }
        catch (Exception error)
        {
            // A deleted account refuses (its streams already got the last message); anything else is retried next round.
            logger.LogDebug(error, "Renewing a watch failed");
        }
    }
}
