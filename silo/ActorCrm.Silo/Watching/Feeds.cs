using ActorCrm.Domain.Model;
using ActorCrm.Grains;
using ActorCrm.Grains.Ranking;
using ActorCrm.Grains.Watching;

namespace ActorCrm.Silo.Watching;

/// <summary>
/// This silo's view of one watched grain: the one observer the grain knows of, the latest snapshot
/// it sent, and the inboxes of the local streams that want it.
/// </summary>
public abstract class Feed<T>
    where T : class
{
    private readonly Lock _gate = new();
    private readonly List<Inbox<T>> _inboxes = [];
    private T? _latest;

    /// <summary>Completes when the grain has accepted this feed's observer (faults if it refused, e.g. NOT_FOUND).</summary>
    public Task Attached { get; set; } = Task.CompletedTask;

    /// <summary>Registers or renews the observer with the grain; returns the grain's current snapshot.</summary>
    public abstract Task<T> WatchGrainAsync();

    public abstract Task UnwatchGrainAsync();

    protected abstract bool IsNewer(T candidate, T? current);

    /// <summary>Takes a snapshot from the grain (notification or renewal) and hands it to every inbox if it is newer.</summary>
    public void Accept(T snapshot)
    {
        lock (_gate)
        {
            if (!IsNewer(snapshot, _latest)) return;
            _latest = snapshot;
            foreach (var inbox in _inboxes) inbox.Offer(snapshot);
        }
    }

    public void Add(Inbox<T> inbox)
    {
        lock (_gate)
        {
            _inboxes.Add(inbox);
            if (_latest is not null) inbox.Offer(_latest);
        }
    }

    /// <summary>Removes an inbox; true when none is left.</summary>
    public bool Remove(Inbox<T> inbox)
    {
        lock (_gate)
        {
            _inboxes.Remove(inbox);
            return _inboxes.Count == 0;
        }
    }
}

/// <summary>A feed that is itself the grain observer (<typeparamref name="TObserver"/>), through one object reference.</summary>
public abstract class ObservingFeed<T, TObserver>(IGrainFactory grains) : Feed<T>
    where T : class
    where TObserver : class, IGrainObserver
{
    private TObserver? _reference;

    protected IGrainFactory Grains => grains;

    private TObserver Reference => _reference ??= grains.CreateObjectReference<TObserver>((TObserver)(object)this);

    protected abstract Task<T> WatchAsync(TObserver observer);

    protected abstract Task UnwatchAsync(TObserver observer);

    public override Task<T> WatchGrainAsync() => WatchAsync(Reference);

    public override async Task UnwatchGrainAsync()
    {
        if (_reference is null) return;
        await UnwatchAsync(_reference);
        grains.DeleteObjectReference<TObserver>(_reference);
    }
}

/// <summary>A watched account. Also fetches its contacts' summaries, once per snapshot however many streams ask.</summary>
public sealed class AccountFeed(IGrainFactory grains, string accountId) : ObservingFeed<AccountSnapshot, IAccountObserver>(grains), IAccountObserver
{
    private readonly IAccountGrain _account = grains.GetGrain<IAccountGrain>(accountId);
    private (long Sequence, Task<IReadOnlyList<ContactView>> Contacts) _contacts = (-1, Task.FromResult<IReadOnlyList<ContactView>>([]));

    protected override Task<AccountSnapshot> WatchAsync(IAccountObserver observer) => _account.WatchAsync(observer);

    protected override Task UnwatchAsync(IAccountObserver observer) => _account.UnwatchAsync(observer);

    public Task OnAccountChangedAsync(AccountSnapshot snapshot)
    {
        Accept(snapshot);
        return Task.CompletedTask;
    }

    protected override bool IsNewer(AccountSnapshot candidate, AccountSnapshot? current) => candidate.Sequence > (current?.Sequence ?? -1);

    /// <summary>The contacts on the snapshot's roster that still exist, in id order.</summary>
    public Task<IReadOnlyList<ContactView>> ContactsAsync(AccountSnapshot snapshot)
    {
        var memo = _contacts;
        if (memo.Sequence == snapshot.Sequence) return memo.Contacts;
        var fetch = FetchContactsAsync(snapshot.ContactIds);
        _contacts = (snapshot.Sequence, fetch);
        return fetch;
    }

    private async Task<IReadOnlyList<ContactView>> FetchContactsAsync(IReadOnlyList<string> contactIds)
    {
        var contacts = new List<ContactView>(contactIds.Count);
        foreach (var batch in contactIds.Chunk(64))
        {
            var found = await Task.WhenAll(batch.Select(id => Grains.GetGrain<IContactGrain>(id).TryGetAsync()));
            contacts.AddRange(found.OfType<ContactView>());
        }
        return contacts;
    }
}

/// <summary>A watched ranking.</summary>
public sealed class ConcentrationFeed(IGrainFactory grains, RankingScope scope)
    : ObservingFeed<PublishedConcentration, IConcentrationObserver>(grains), IConcentrationObserver
{
    private readonly IRankingGrain _ranking = grains.GetGrain<IRankingGrain>(IRankingGrain.KeyOf(scope));

    protected override Task<PublishedConcentration> WatchAsync(IConcentrationObserver observer) => _ranking.WatchAsync(observer);

    protected override Task UnwatchAsync(IConcentrationObserver observer) => _ranking.UnwatchAsync(observer);

    public Task OnConcentrationChangedAsync(PublishedConcentration snapshot)
    {
        Accept(snapshot);
        return Task.CompletedTask;
    }

    protected override bool IsNewer(PublishedConcentration candidate, PublishedConcentration? current) => candidate.IsNewerThan(current);
}
