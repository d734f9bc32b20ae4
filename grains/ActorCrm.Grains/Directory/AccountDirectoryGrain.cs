using ActorCrm.Grains.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Storage;

namespace ActorCrm.Grains.Directory;

/// <summary>
/// One partition of the account directory; see <see cref="AccountDirectory"/>. It holds its
/// accounts in memory (sorted, plus an index of children by parent) and saves them as
/// <see cref="ChunkCount"/> chunk records by id hash, writing only the chunks that changed.
/// </summary>
/// <remarks>
/// Group commit: the grain is reentrant, every change is applied in memory at once and waits for
/// the next save of its chunk; changes that arrive while a save is in flight all go out together in
/// the following one. So a create costs O(log n) in memory and a share of one chunk write, never a
/// rewrite of the partition. A change is acknowledged only once its chunk is saved; a failed save
/// leaves the chunk dirty and fails its callers (accounts retry, see AccountGrain.PublishSummaryAsync).
/// </remarks>
[Reentrant]
public sealed class AccountDirectoryGrain(
    [FromKeyedServices(StorageNames.Large)] IGrainStorage storage,
    ILogger<AccountDirectoryGrain> logger) : Grain, IAccountDirectoryGrain
{
    /// <summary>Fixed for a deployment: an account stays in the chunk of its hash.</summary>
    public const int ChunkCount = 64;

    private const int ReadsInFlight = 8;

    /// <summary>The state name of the whole-partition record this grain kept before chunking (migrated on activation).</summary>
    private const string LegacyStateName = "directory";

    private static readonly Comparer<AccountSummary> ById = Comparer<AccountSummary>.Create((a, b) => string.CompareOrdinal(a.AccountId, b.AccountId));

    private readonly SortedSet<AccountSummary> _sorted = new(ById);
    private readonly Dictionary<string, SortedSet<string>> _childrenOf = new(StringComparer.Ordinal);
    private DirectoryChunk[] _chunks = [];
    private StoredRecord<DirectoryChunk>[] _records = [];
    private readonly HashSet<int> _dirty = [];

    /// <summary>The save in flight (never faults), and the save that will carry changes made meanwhile.</summary>
    private Task _saving = Task.CompletedTask;
    private Task? _nextSave;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var grainId = this.GetGrainId();
        _records = Enumerable.Range(0, ChunkCount).Select(i => new StoredRecord<DirectoryChunk>(storage, grainId, $"dir-{i:D3}")).ToArray();
        // A few reads at a time: 32 partitions activating together must not flood storage with 2,048 requests.
        var chunks = new List<DirectoryChunk>(ChunkCount);
        foreach (var batch in _records.Chunk(ReadsInFlight)) chunks.AddRange(await Task.WhenAll(batch.Select(r => r.ReadAsync())));
        _chunks = [.. chunks];
        foreach (var chunk in _chunks)
            foreach (var summary in chunk.Accounts.Values) Index(summary);
        if (!_records.Any(r => r.Exists)) await MigrateLegacyAsync(grainId);
    }

    public Task UpsertAsync(AccountSummary summary)
    {
        var chunk = ChunkOf(summary.AccountId);
        var accounts = _chunks[chunk].Accounts;
        var stale = (accounts.TryGetValue(summary.AccountId, out var held) && held.Version >= summary.Version)
            || (_chunks[chunk].DeletedVersions.TryGetValue(summary.AccountId, out var deleted) && deleted >= summary.Version);
        if (stale || (held is not null && held.SameListing(summary)))
            // Nothing to change, but what is held may not be saved yet (a retry after a failed save).
            return _dirty.Contains(chunk) || _nextSave is not null ? SaveAsync() : Task.CompletedTask;

        if (held is not null) Unindex(held);
        Index(summary);
        var chunkState = _chunks[chunk];
        chunkState.Accounts[summary.AccountId] = summary;
        chunkState.DeletedVersions.Remove(summary.AccountId);
        _dirty.Add(chunk);
        return SaveAsync();
    }

    public Task RemoveAsync(string accountId, long version)
    {
        var chunk = ChunkOf(accountId);
        var chunkState = _chunks[chunk];
        if (chunkState.Accounts.TryGetValue(accountId, out var held))
        {
            if (held.Version > version) return Task.CompletedTask;
            Unindex(held);
            chunkState.Accounts.Remove(accountId);
        }
        chunkState.DeletedVersions[accountId] = Math.Max(version, chunkState.DeletedVersions.GetValueOrDefault(accountId));
        _dirty.Add(chunk);
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
                    var summary = _chunks[ChunkOf(id)].Accounts[id];
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

    public Task<IReadOnlyList<string>> ListChildrenAsync(string parentAccountId, int limit) =>
        Task.FromResult<IReadOnlyList<string>>(_childrenOf.TryGetValue(parentAccountId, out var children) ? children.Take(limit).ToArray() : []);

    // ---------------------------------------------------------------- saving

    /// <summary>Waits for the save that carries every change made so far (joining the next one if a save is in flight).</summary>
    private Task SaveAsync() => _nextSave ??= SaveWhenFreeAsync();

    private async Task SaveWhenFreeAsync()
    {
        await Task.Yield(); // lets SaveAsync store this task first, and the changes queued behind this one join it
        await _saving;
        _nextSave = null; // changes from here on go out with the save after this one
        var writes = _dirty.Select(i => (Index: i, Copy: _chunks[i].Copy())).ToArray();
        _dirty.Clear();
        var save = WriteChunksAsync(writes);
        _saving = save.ContinueWith(static _ => { }, TaskScheduler.Current);
        await save;
    }

    private async Task WriteChunksAsync((int Index, DirectoryChunk Copy)[] writes)
    {
        var failures = await Task.WhenAll(writes.Select(async w =>
        {
            try
            {
                await _records[w.Index].WriteAsync(w.Copy);
                return null;
            }
            catch (Exception error)
            {
                _dirty.Add(w.Index);
                return error;
            }
        }));
        if (failures.FirstOrDefault(e => e is not null) is { } failure)
            throw new IOException($"{failures.Count(e => e is not null)} of {writes.Length} directory chunks were not saved", failure);
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

    private static int ChunkOf(string accountId) => (int)(Domain.StableHash.Fnv1a64(accountId) % ChunkCount);

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

    /// <summary>Moves a partition saved as one record (before chunking) into chunks, then clears the old record.</summary>
    private async Task MigrateLegacyAsync(GrainId grainId)
    {
        var legacy = new StoredRecord<DirectoryPartitionState>(storage, grainId, LegacyStateName);
        var old = await legacy.ReadAsync();
        if (!legacy.Exists) return;
        foreach (var summary in old.Accounts)
        {
            var chunk = ChunkOf(summary.AccountId);
            if (_chunks[chunk].Accounts.ContainsKey(summary.AccountId)) continue;
            _chunks[chunk].Accounts[summary.AccountId] = summary;
            Index(summary);
            _dirty.Add(chunk);
        }
        foreach (var (id, version) in old.DeletedVersions)
        {
            _chunks[ChunkOf(id)].DeletedVersions.TryAdd(id, version);
            _dirty.Add(ChunkOf(id));
        }
        await SaveAsync();
        await legacy.ClearAsync();
        logger.LogInformation("Directory partition {Partition}: migrated {Accounts} accounts into chunks", this.GetPrimaryKeyLong(), old.Accounts.Count);
    }
}

/// <summary>One saved chunk of a directory partition: the accounts whose id hashes to it.</summary>
[GenerateSerializer, Alias("actorcrm.state.DirectoryChunk")]
public sealed class DirectoryChunk
{
    [Id(0)] public Dictionary<string, AccountSummary> Accounts { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Versions of deleted accounts, so a late upsert of an older version cannot resurrect one.</summary>
    [Id(1)] public Dictionary<string, long> DeletedVersions { get; set; } = new(StringComparer.Ordinal);

    /// <summary>A copy to save (summaries are immutable, so sharing them is safe).</summary>
    public DirectoryChunk Copy() => new()
    {
        Accounts = new(Accounts, StringComparer.Ordinal),
        DeletedVersions = new(DeletedVersions, StringComparer.Ordinal),
    };
}

/// <summary>A whole partition as saved before it was split into <see cref="DirectoryChunk"/>s; read only to migrate it.</summary>
[GenerateSerializer, Alias("actorcrm.state.DirectoryPartition")]
public sealed record DirectoryPartitionState
{
    [Id(0)] public IReadOnlyList<AccountSummary> Accounts { get; init; } = [];
    [Id(1)] public IReadOnlyDictionary<string, long> DeletedVersions { get; init; } = new Dictionary<string, long>();
}
