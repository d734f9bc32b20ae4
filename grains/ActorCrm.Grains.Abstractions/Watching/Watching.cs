using ActorCrm.Domain.Model;
using ActorCrm.Grains.Ranking;
using Orleans.Concurrency;

namespace ActorCrm.Grains.Watching;

// Live updates are grain observers, not Orleans streams: each silo's WatchHub registers ONE observer
// per watched grain and fans out to its own gRPC streams, so a grain sends one message per silo
// however many dashboards watch it. Every notification is the full latest state (never a delta),
// so a lost one-way notification is healed by the next one or by the hub's periodic renewal, which
// also re-attaches the hub after the grain moved to another silo. No stream provider, pub-sub
// store or queue is needed for that.

/// <summary>How long a grain keeps an observer that is not renewed, and how often hubs renew.</summary>
public static class WatchTimings
{
    /// <summary>A silo that died stops renewing; its observers are dropped after this.</summary>
    public static readonly TimeSpan ObserverExpiry = TimeSpan.FromMinutes(1);

    /// <summary>Well within the expiry, so one missed renewal costs nothing.</summary>
    public static readonly TimeSpan Renewal = TimeSpan.FromSeconds(15);
}

/// <summary>The full state of an account as a watcher sees it.</summary>
/// <param name="Sequence">The sum of the versions of the account's saved states: grows with every committed change, survives failover.</param>
/// <param name="Account">The account, or null once deleted.</param>
/// <param name="ContactIds">Its roster, sorted.</param>
[GenerateSerializer, Immutable, Alias("actorcrm.AccountSnapshot")]
public sealed record AccountSnapshot(
    [property: Id(0)] long Sequence,
    [property: Id(1)] AccountView? Account,
    [property: Id(2)] IReadOnlyList<string> ContactIds,
    [property: Id(3)] long RevenueWindowTotalMinor,
    [property: Id(4)] int OpenOpportunityCount,
    [property: Id(5)] long OpenPipelineMinor,
    [property: Id(6)] DateTimeOffset At);

/// <summary>A silo's WatchHub, registered with an account it watches.</summary>
[Alias("actorcrm.IAccountObserver")]
public interface IAccountObserver : IGrainObserver
{
    [OneWay, Alias("OnAccountChanged")] Task OnAccountChangedAsync(AccountSnapshot snapshot);
}

/// <summary>The published figures with the top rows (at most <see cref="MaxTopRows"/>).</summary>
/// <param name="Publisher">Identifies the ranking activation; with <paramref name="Version"/> it orders snapshots.</param>
/// <param name="Version">Counts the activation's publications.</param>
[GenerateSerializer, Immutable, Alias("actorcrm.PublishedConcentration")]
public sealed record PublishedConcentration(
    [property: Id(0)] Guid Publisher,
    [property: Id(1)] long Version,
    [property: Id(2)] ConcentrationView View,
    [property: Id(3)] IReadOnlyList<RankedRowView> TopRows)
{
    public const int MaxTopRows = 100;

    /// <summary>Whether this is a later publication than <paramref name="other"/> (a new activation always is).</summary>
    public bool IsNewerThan(PublishedConcentration? other) => other is null || Publisher != other.Publisher || Version > other.Version;
}

/// <summary>A silo's WatchHub, registered with a ranking it watches.</summary>
[Alias("actorcrm.IConcentrationObserver")]
public interface IConcentrationObserver : IGrainObserver
{
    [OneWay, Alias("OnConcentrationChanged")] Task OnConcentrationChangedAsync(PublishedConcentration snapshot);
}
