using ActorCrm.Domain.Errors;
using ActorCrm.Domain.Model;
using ActorCrm.Grains.Infrastructure;
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
        profile.State.Version + opportunities.State.LastVersion + members.State.Version + activityIndex.State.Version + (_ledger?.Version ?? 0);

    /// <summary>Every grain call passes here: when it committed something (even a command that failed half-way), watchers hear of it.</summary>
    public async Task Invoke(IIncomingGrainCallContext context)
    {
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
        await LedgerAsync(); // the snapshot's sequence and window total include the ledger
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

    public async Task ContactChangedAsync(string contactId)
    {
        if (!members.State.ContactIds.Contains(contactId)) return;
        try
        {
            await WriteMembersAsync(members.State with { Version = members.State.Version + 1 });
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
        var open = opportunities.State.Items.Where(o => o.Opportunity.Status == OpportunityStatus.Open).ToArray();
        return new AccountSnapshot(
            Sequence,
            profile.State.Account is null ? null : View(profile.State),
            members.State.ContactIds,
            _ledger?.TotalAt(_window.LocalDay(now)).Total ?? 0,
            open.Length,
            open.Sum(o => o.Opportunity.AmountMinor),
            now);
    }

    /// <summary>
    /// While watched, checks every second whether the window total moved with the day (revenue aged
    /// out, or revenue dated ahead came in). If so it commits that as a ledger write (pruning what
    /// left the window), so the change has a sequence of its own like any other.
    /// </summary>
    private async Task CommitAgeingAsync()
    {
        _watchers?.ClearExpired();
        if (StopAgeingIfUnwatched() || profile.State.Account is null) return;
        var ledger = await LedgerAsync();
        var today = Today;
        if (ledger.TotalAt(today).Total == _notifiedWindowTotal) return;

        if (await SaveLedgerAsync(ledger, ledger.ForgottenMonths(today), forceHead: true) is { } error)
        {
            logger.LogWarning(error, "Account {AccountId}: could not commit revenue ageing out; retrying", Id);
            return;
        }
        NotifyIfChanged();
    }

    private bool StopAgeingIfUnwatched()
    {
        if (_watchers is { Count: > 0 }) return false;
        _ageingTimer?.Dispose();
        _ageingTimer = null;
        return true;
    }
}
