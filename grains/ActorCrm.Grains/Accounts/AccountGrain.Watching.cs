using ActorCrm.Domain.Insights;
using ActorCrm.Domain.Errors;
using ActorCrm.Domain.Model;
using ActorCrm.Grains.Infrastructure;
using ActorCrm.Grains.Ranking;
using ActorCrm.Grains.Watching;
using Microsoft.Extensions.Logging;
using Orleans.Utilities;

namespace ActorCrm.Grains.Accounts;

/// <summary>
/// Live updates: silos' watch hubs register observers (see <see cref="IAccountObserver"/>); after
/// any call that committed a change, and when revenue ages out of the window, every observer gets
/// the full snapshot once.
/// </summary>
public sealed partial class AccountGrain : IIncomingGrainCallFilter
{
    private ObserverManager<IAccountObserver>? _watchers;
    private IGrainTimer? _ageingTimer;
    private long _notifiedSequence;
    private long _notifiedWindowTotal;

    /// <summary>
    /// The version of the account's whole saved state: the sum of its states' versions, each of
    /// which only grows, so the sum grows with every committed change and survives reactivation.
    /// </summary>
    private long Sequence =>
        profile.State.Version + _opportunities.State.LastVersion + _members.State.Version + _activityIndex.State.Version + (_revenue?.LedgerVersion ?? 0);

    /// <summary>
    /// Every grain call passes here: it reads the account's other states the call needs (once),
    /// and when it committed something (even a command that failed half-way), watchers hear of it.
    /// </summary>
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        await LoadStatesForAsync(context.ImplementationMethod.Name);
        try
        {
            await context.Invoke();
        }
        finally
        {
            NotifyIfChanged();
        }
    }

    public async Task<AccountSnapshot> WatchAsync(IAccountObserver observer)
    {
        if (profile.State.Account is null) throw CrmException.NotFound($"account '{Id}' does not exist");
        // The snapshot's sequence and window total include the ledger's report, which the partition pushes from now on.
        AdoptRevenue(await RevenuePartition.WatchAccountAsync(Id));
        await RefreshShareOfWalletAsync();
        _watchers ??= new ObserverManager<IAccountObserver>(WatchTimings.ObserverExpiry, logger);
        _watchers.Subscribe(observer, observer);
        _ageingTimer ??= this.RegisterGrainTimer(CommitAgeingAsync, new GrainTimerCreationOptions(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));
        var snapshot = Snapshot();
        _notifiedSequence = snapshot.Sequence;
        _notifiedWindowTotal = snapshot.RevenueWindowTotalMinor;
        return snapshot;
    }

    public Task UnwatchAsync(IAccountObserver observer)
    {
        _watchers?.Unsubscribe(observer);
        StopAgeingIfUnwatched();
        return Task.CompletedTask;
    }

    public async Task ContactChangedAsync(string contactId, ContactIntel intel)
    {
        if (!_members.State.ContactIds.Contains(contactId)) return;
        try
        {
            var known = new Dictionary<string, ContactIntel>(_members.State.Intel, StringComparer.Ordinal) { [contactId] = intel };
            await WriteMembersAsync(_members.State with { Intel = known, Version = _members.State.Version + 1 });
        }
        catch (Exception error)
        {
            logger.LogWarning(error, "Account {AccountId}: could not record a change of contact {ContactId}; watchers see it with the next change", Id, contactId);
        }
    }

    private void NotifyIfChanged()
    {
        if (_watchers is not { Count: > 0 } || Sequence == _notifiedSequence) return;
        var snapshot = Snapshot();
        _notifiedSequence = snapshot.Sequence;
        _notifiedWindowTotal = snapshot.RevenueWindowTotalMinor;
        _watchers.Notify(observer => observer.OnAccountChangedAsync(snapshot));
    }

    private AccountSnapshot Snapshot()
    {
        var now = clock.GetUtcNow();
        var open = _opportunities.State.Items.Where(o => o.Opportunity.Status == OpportunityStatus.Open).ToArray();
        return new AccountSnapshot(
            Sequence,
            profile.State.Account is null ? null : View(profile.State),
            _members.State.ContactIds,
            RevenueWindowTotal(),
            open.Length,
            open.Sum(o => o.Opportunity.AmountMinor),
            now);
    }

    /// <summary>
    /// While watched, checks every second whether the window total moved with the day (revenue aged
    /// out, or revenue dated ahead came in). If so the partition gives the ledger a new version, so
    /// the change has a sequence of its own like any other. Every few seconds it renews the
    /// partition's registration (a restarted partition forgets who watches).
    /// </summary>
    private async Task CommitAgeingAsync()
    {
        _watchers?.ClearExpired();
        if (StopAgeingIfUnwatched() || profile.State.Account is null) return;
        try
        {
            if (++_ageingTicks % RenewRevenueWatchEveryTicks == 0) AdoptRevenue(await RevenuePartition.WatchAccountAsync(Id));
            await RefreshShareOfWalletAsync(); // the subtree's share, for the next snapshot

            if (RevenueWindowTotal() == _notifiedWindowTotal) return;
            AdoptRevenue(await RevenuePartition.RefreshAccountAsync(Id));
        }
        catch (Exception error)
        {
            logger.LogWarning(error, "Account {AccountId}: could not refresh its revenue for watchers; retrying", Id);
            return;
        }
        NotifyIfChanged();
    }

    private const int RenewRevenueWatchEveryTicks = 10;
    private long _ageingTicks;

    private void AdoptRevenue(RevenueReport report)
    {
        if (report.LedgerVersion >= (_revenue?.LedgerVersion ?? 0)) _revenue = report;
    }

    private bool StopAgeingIfUnwatched()
    {
        if (_watchers is { Count: > 0 }) return false;
        if (_ageingTimer is not null) RevenuePartition.UnwatchAccountAsync(Id).Ignore();
        _ageingTimer?.Dispose();
        _ageingTimer = null;
        _revenue = null;
        return true;
    }
}
