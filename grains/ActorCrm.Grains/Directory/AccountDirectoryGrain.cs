using ActorCrm.Grains.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ActorCrm.Domain.Insights;
using Orleans.Concurrency;
using Orleans.Storage;

namespace ActorCrm.Grains.Directory;

/// <summary>
/// One partition of the account directory; see <see cref="AccountDirectory"/>. It holds its
/// accounts in memory (sorted, plus an index of children by parent) and saves them through a
/// <see cref="DirectoryStore"/>: an append to a log per save, folded into chunks now and then.
/// </summary>
/// <remarks>
/// Group commit: the grain is reentrant, every change is applied in memory at once and waits for
/// the next append; changes that arrive while an append (or a checkpoint) is in flight all go out
/// together in the following one. So a create costs O(log n) in memory and a share of one log
/// write, never a rewrite of the partition. A change is acknowledged only once its log record is
/// saved; a failed append fails its callers (accounts retry, see AccountGrain.PublishSummaryAsync)
/// and its changes go out with the next one.
/// </remarks>
[Reentrant]
public sealed class AccountDirectoryGrain(
    [FromKeyedServices(StorageNames.Large)] IGrainStorage storage,
    [FromKeyedServices(ProductClock.Key)] TimeProvider clock,
    IOptions<InsightOptions> insightOptions,
    ILogger<AccountDirectoryGrain> logger) : Grain, IAccountDirectoryGrain
{
    private static readonly Comparer<AccountSummary> ById = Comparer<AccountSummary>.Create((a, b) => string.CompareOrdinal(a.AccountId, b.AccountId));

    private readonly SortedSet<AccountSummary> _sorted = new(ById);
    private readonly Dictionary<string, SortedSet<string>> _childrenOf = new(StringComparer.Ordinal);
    private DirectoryStore _store = null!;

    /// <summary>The append (and checkpoint) in flight, which never faults, and the save that will carry changes made meanwhile.</summary>
    private Task _saving = Task.CompletedTask;
    private Task? _nextSave;
    private Task? _appending;

    private const int MaxRefreshesPerRound = 1_000;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var refresh = TimeSpan.FromSeconds(insightOptions.Value.CoverageRefreshSeconds);
        this.RegisterGrainTimer(AskExpiredCoverageAsync, new GrainTimerCreationOptions(refresh, refresh) { Interleave = true });
        _store = new DirectoryStore(storage, this.GetGrainId());
        foreach (var summary in await _store.LoadAsync()) Index(summary);
        if (_store.MovingEarlierLayout)
        {
            // An earlier layout was read: save it in this one now (then its old records are cleared).
            await _store.CheckpointAsync();
            logger.LogInformation("Directory partition {Partition}: moved {Accounts} accounts into generation {Generation}",
                this.GetPrimaryKeyLong(), _sorted.Count, _store.Generation);
        }
    }

    public Task UpsertAsync(AccountSummary summary)
    {
        var held = _store.Find(summary.AccountId);
        // A listing upsert keeps the coverage held (coverage comes through SetCoverageAsync).
        if (held is not null && held.HasLaterCoverageThan(summary)) summary = summary.WithCoverageOf(held);
        var stale = !summary.IsNewerThan(held) || _store.DeletedVersion(summary.AccountId) >= summary.Version;
        if (stale || (held is not null && held.SameListing(summary)))
            // Nothing to change, but what is held may not be saved yet (a retry after a failed save, or a repeat while its append is in flight).
            return _store.HasChanges ? SaveAsync() : _nextSave ?? _appending ?? Task.CompletedTask;

        if (held is not null) Unindex(held);
        Index(summary);
        _store.Put(summary);
        return SaveAsync();
    }

    public Task RemoveAsync(string accountId, long version)
    {
        if (_store.Find(accountId) is { } held)
        {
            if (held.Version > version) return Task.CompletedTask;
            Unindex(held);
        }
        _store.Remove(accountId, version);
        return SaveAsync();
    }

    public Task<IReadOnlyList<AccountSummary>> QueryAsync(DirectoryQuery query)
    {
        var page = new List<AccountSummary>(Math.Min(query.Limit, 64));
        if (query.ParentAccountId.Length > 0)
        {
            // Filtered by parent: walk that parent's children only.
            if (_childrenOf.TryGetValue(query.ParentAccountId, out var children))
                foreach (var id in After(children, query.AfterAccountId))
                {
                    var summary = _store.Find(id)!;
                    if (query.Matches(summary) && page.Count < query.Limit) page.Add(summary);
                    if (page.Count >= query.Limit) break;
                }
        }
        else
        {
            foreach (var summary in After(_sorted, Probe(query.AfterAccountId), ById))
            {
                if (!query.Matches(summary)) continue;
                page.Add(summary);
                if (page.Count >= query.Limit) break;
            }
        }
        return Task.FromResult<IReadOnlyList<AccountSummary>>(page);
    }

    public Task<int> CountAsync() => Task.FromResult(_sorted.Count);

    public Task SetCoverageAsync(string accountId, AccountSummary report)
    {
        if (_store.Find(accountId) is not { } held || !report.HasLaterCoverageThan(held))
            return _store.HasChanges ? SaveAsync() : _nextSave ?? _appending ?? Task.CompletedTask;
        return UpsertAsync(held.WithCoverageOf(report));
    }

    /// <summary>
    /// Coverage drops with time alone when a section turns stale, with no write to tell the
    /// directory: every Insights:CoverageRefreshSeconds the partition asks the accounts whose
    /// listed coverage has expired to publish it again (one-way, a bounded number per round).
    /// </summary>
    private Task AskExpiredCoverageAsync()
    {
        var now = clock.GetUtcNow();
        foreach (var summary in _sorted.Where(s => s.CoverageValidUntil <= now).Take(MaxRefreshesPerRound))
            GrainFactory.GetKeyed<IAccountGrain>(summary.AccountId).RefreshCoverageAsync().Ignore();
        return Task.CompletedTask;
    }

    /// <summary>A scan of the partition: coverage is not indexed (lists sorted by it are analysis queries, not the write path).</summary>
    public Task<IReadOnlyList<AccountSummary>> QueryByCoverageAsync(DirectoryQuery query, CoverageCursor? after, bool descending)
    {
        var page = _sorted.Where(s => query.MatchesFilters(s) && (after is null || after.IsBefore(s, descending)))
            .Order(Comparer<AccountSummary>.Create((a, b) => CoverageCursor.Compare(a, b, descending)))
            .Take(query.Limit)
            .ToList();
        return Task.FromResult<IReadOnlyList<AccountSummary>>(page);
    }

    public Task<IReadOnlyList<AccountSummary>> GetManyAsync(IReadOnlyList<string> accountIds) =>
        Task.FromResult<IReadOnlyList<AccountSummary>>(accountIds.Select(_store.Find).OfType<AccountSummary>().ToList());

    public Task<IReadOnlyList<string>> ListChildrenAsync(string parentAccountId, int limit) =>
        Task.FromResult<IReadOnlyList<string>>(_childrenOf.TryGetValue(parentAccountId, out var children) ? children.Take(limit).ToArray() : []);

    public Task<IReadOnlyList<string>> ListChildrenOfAllAsync(IReadOnlyList<string> parentAccountIds) =>
        Task.FromResult<IReadOnlyList<string>>(parentAccountIds.Distinct(StringComparer.Ordinal)
            .SelectMany(parent => _childrenOf.TryGetValue(parent, out var children) ? children : [])
            .Order(StringComparer.Ordinal).ToArray());

    // ---------------------------------------------------------------- saving

    /// <summary>Waits for the save that carries every change made so far (joining the next one if a save is in flight).</summary>
    private Task SaveAsync() => _nextSave ??= SaveWhenFreeAsync();

    private async Task SaveWhenFreeAsync()
    {
        await Task.Yield(); // lets SaveAsync store this task first, and the changes queued behind this one join it
        await _saving;
        _nextSave = null; // changes from here on go out with the save after this one
        var append = _appending = _store.AppendAsync();
        _saving = CheckpointIfDueAsync(append);
        await append;
    }

    /// <summary>After an append, folds the log into the chunks if it is due; the next append waits for it, its callers do not.</summary>
    private async Task CheckpointIfDueAsync(Task append)
    {
        try
        {
            await append;
            if (_store.CheckpointDue) await _store.CheckpointAsync();
        }
        catch (Exception error)
        {
            // The log holds every acknowledged change; the checkpoint is tried again after the next append.
            if (append.IsCompletedSuccessfully) logger.LogWarning(error, "Directory partition {Partition}: checkpoint failed", this.GetPrimaryKeyLong());
        }
    }

    // ---------------------------------------------------------------- in-memory indexes

    private void Index(AccountSummary summary)
    {
        _sorted.Add(summary);
        if (summary.ParentAccountId.Length == 0) return;
        if (!_childrenOf.TryGetValue(summary.ParentAccountId, out var children))
            _childrenOf[summary.ParentAccountId] = children = new SortedSet<string>(StringComparer.Ordinal);
        children.Add(summary.AccountId);
    }

    private void Unindex(AccountSummary summary)
    {
        _sorted.Remove(summary);
        if (summary.ParentAccountId.Length == 0 || !_childrenOf.TryGetValue(summary.ParentAccountId, out var children)) return;
        children.Remove(summary.AccountId);
        if (children.Count == 0) _childrenOf.Remove(summary.ParentAccountId);
    }

    private static AccountSummary Probe(string accountId) => new(accountId, "", 0, "", "", 0);

    private static IEnumerable<string> After(SortedSet<string> set, string afterId) =>
        After(set, afterId, StringComparer.Ordinal);

    /// <summary>The elements of <paramref name="set"/> strictly after <paramref name="after"/>, in order, in O(log n + k).</summary>
    private static IEnumerable<T> After<T>(SortedSet<T> set, T after, IComparer<T> comparer)
    {
        if (set.Count == 0 || comparer.Compare(after, set.Max!) >= 0) return [];
        var lower = comparer.Compare(after, set.Min!) < 0 ? set.Min! : after;
        return set.GetViewBetween(lower, set.Max!).SkipWhile(x => comparer.Compare(x, after) <= 0);
    }
}
