using ActorCrm.Grains.Infrastructure;
using Orleans.Storage;

namespace ActorCrm.Grains.Directory;

/// <summary>
/// How one directory partition is saved, log-structured: every save appends the changes made since
/// the last one as one log record ("dir-log-{n}"), and now and then a checkpoint folds the log into
/// chunk records ("dir-{generation}-{chunk}", the entries spread by id hash over 2^generation
/// chunks) and moves the head record ("directory-head": generation and first live log record) past
/// it. A save therefore costs one write whatever it carries, and an activation reads the head, the
/// chunks (~entries/64) and about <see cref="MaxLogRecords"/> log records at most.
/// </summary>
/// <remarks>
/// Replaying is idempotent: every change carries the account's version, and an older version never
/// replaces a newer entry or deletion, so a log record that is also folded into a chunk, or a chunk
/// that a crashed checkpoint wrote ahead of its head, does no harm. A failed append is written again
/// under the same number with the changes made since, so the log has no gaps. A checkpoint writes
/// the changed chunks, then the head, then clears the log records it folded in; until the head is
/// written an activation reads the previous chunks and the whole log, so a crash at any point loses
/// nothing. The chunks double (a new generation) at a checkpoint once they average more than
/// <see cref="TargetChunkSize"/> entries. Earlier layouts (one record per partition; 64 chunks by
/// the low bits of the id hash) are moved into this one on activation.
/// </remarks>
public sealed class DirectoryStore(IGrainStorage storage, GrainId grainId)
{
    /// <summary>A fresh partition starts with 2^3 = 8 chunks.</summary>
    public const int MinGeneration = 3;

    /// <summary>Entries per chunk (on average) above which a checkpoint doubles the chunks.</summary>
    public const int TargetChunkSize = 64;

    /// <summary>
    /// Log records after which a checkpoint is due, so an activation replays a bounded number. Not
    /// lower: appends under load carry a few changes each, and a checkpoint every 128 of them
    /// rewrote every chunk of a partition per ~500 changes (O(n) per change on a bulk load).
    /// </summary>
    public const int MaxLogRecords = 1_024;

    /// <summary>
    /// Logged changes after which a checkpoint is due (or as many as the partition's entries, if
    /// more): a checkpoint rewrites the changed chunks, so spacing them in proportion to the
    /// partition keeps its cost per change constant (a bulk load rewrites each entry ~twice in all).
    /// </summary>
    public const int MinCheckpointChanges = 4_096;

    private const string HeadName = "directory-head";
    private const string LegacyPartitionName = "directory";
    private const int LegacyChunkCount = 64;
    /// <summary>Record reads or chunk writes one partition has in flight at once (storage serves all partitions).</summary>
    private const int ReadsInFlight = 8;

    private readonly StoredRecord<DirectoryHead> _head = new(storage, grainId, HeadName);
    private int _generation = MinGeneration;
    private DirectoryChunk[] _chunks = [];
    private StoredRecord<DirectoryChunk>[] _records = [];
    private int _entries;

    /// <summary>Chunks changed since the last checkpoint.</summary>
    private readonly HashSet<int> _dirty = [];

    /// <summary>The head must be written (a new generation, or an earlier layout being moved).</summary>
    private bool _headDirty;

    /// <summary>Changes not yet in a saved log record.</summary>
    private DirectoryLogRecord _pending = new();

    /// <summary>The first log record not folded into the chunks, and the number the next append writes.</summary>
    private long _logStart, _nextLog;

    private long _loggedChanges;

    /// <summary>The saved log records not yet folded in (they carry the ETags a clear needs), and the one the next append writes.</summary>
    private readonly List<StoredRecord<DirectoryLogRecord>> _log = [];
    private StoredRecord<DirectoryLogRecord>? _appending;

    /// <summary>Records of an earlier layout or generation, cleared once the head names the new one.</summary>
    private List<Func<Task>> _retired = [];

    public int Generation => _generation;

    /// <summary>Whether the load found an earlier layout, which a checkpoint moves into this one.</summary>
    public bool MovingEarlierLayout => _retired.Count > 0 && _headDirty;

    /// <summary>Whether changes wait for an append.</summary>
    public bool HasChanges => !_pending.IsEmpty;

    /// <summary>Whether the log has grown enough (or an earlier layout is being moved) for a checkpoint.</summary>
    public bool CheckpointDue =>
        _headDirty || _nextLog - _logStart >= MaxLogRecords || _loggedChanges >= Math.Max(MinCheckpointChanges, _entries);

    public static string ChunkName(int generation, int index) => $"dir-{generation}-{index:D5}";

    public static string LogName(long number) => $"dir-log-{number:D10}";

    /// <summary>Reads the partition (moving an earlier layout into this one) and returns its accounts.</summary>
    public async Task<IReadOnlyList<AccountSummary>> LoadAsync()
    {
        var head = await _head.ReadAsync();
        if (_head.Exists)
        {
            Open(head.Generation);
            var chunks = await ReadAllAsync(_records);
            for (var i = 0; i < chunks.Length; i++) _chunks[i] = chunks[i];
            _entries = _chunks.Sum(c => c.Accounts.Count + c.DeletedVersions.Count);
            _logStart = _nextLog = head.LogStart;
            await ReplayLogAsync();
        }
        else
        {
            // A fresh partition, or one saved in an earlier layout (which had no log).
            Open(MinGeneration);
            await LoadLegacyAsync();
            await ReplayLogAsync();
        }
        return [.. _chunks.SelectMany(c => c.Accounts.Values)];
    }

    public AccountSummary? Find(string accountId) => _chunks[ChunkOf(accountId, _generation)].Accounts.GetValueOrDefault(accountId);

    /// <summary>The version an account was deleted at, or 0.</summary>
    public long DeletedVersion(string accountId) => _chunks[ChunkOf(accountId, _generation)].DeletedVersions.GetValueOrDefault(accountId);

    public void Put(AccountSummary summary)
    {
        Apply(summary);
        _pending.Upserts[summary.AccountId] = summary;
    }

    public void Remove(string accountId, long version)
    {
        Apply(accountId, version);
        _pending.Removals[accountId] = Math.Max(version, _pending.Removals.GetValueOrDefault(accountId));
    }

    /// <summary>
    /// Writes every change made so far as one log record. Throws if it was not written; its changes
    /// then go out again, with later ones, under the same record number.
    /// </summary>
    public async Task AppendAsync()
    {
        if (_pending.IsEmpty) return;
        var record = _pending;
        _pending = new DirectoryLogRecord();
        try
        {
            // A retry reuses the record object: if the failed write landed after all, it has learnt the ETag.
            _appending ??= new StoredRecord<DirectoryLogRecord>(storage, grainId, LogName(_nextLog));
            await _appending.WriteAsync(record);
        }
        catch (Exception)
        {
            record.AddNewer(_pending);
            _pending = record;
            throw;
        }
        _log.Add(_appending);
        _appending = null;
        _nextLog++;
        _loggedChanges += record.Count;
    }

    /// <summary>
    /// Folds the log into the chunks: writes the changed chunks (all of them in a new generation),
    /// then the head, then starts clearing the folded log records and retired chunks (without
    /// waiting: they are never read again). Must not run alongside
    /// an append (the directory grain runs them one after the other). Throws if a chunk or the head
    /// was not written; they stay due for the next checkpoint.
    /// </summary>
    public async Task CheckpointAsync()
    {
        if (_entries > _chunks.Length * TargetChunkSize) Grow();
        var foldedUpTo = _nextLog;
        await CheckpointRecords.WriteDirtyAsync(_dirty, i => _chunks[i].Copy(), i => _records[i], "directory chunks");

        await _head.WriteAsync(new DirectoryHead { Generation = _generation, LogStart = foldedUpTo });
        var garbage = _retired.Concat(_log.Select(r => (Func<Task>)r.ClearAsync)).ToList();
        _log.Clear();
        _retired = [];
        _headDirty = false;
        _logStart = foldedUpTo;
        _loggedChanges = 0;
        CheckpointRecords.ClearInBackground(garbage);
    }


    /// <summary>The chunk of an account in a generation: the top bits of its 64-bit hash (the partition uses the low bits of the 32-bit one).</summary>
    public static int ChunkOf(string accountId, int generation) => (int)(Domain.StableHash.Fnv1a64(accountId) >> (64 - generation));

    // ---------------------------------------------------------------- in memory

    private void Apply(AccountSummary summary)
    {
        var index = ChunkOf(summary.AccountId, _generation);
        var chunk = _chunks[index];
        if (!chunk.Accounts.ContainsKey(summary.AccountId) && !chunk.DeletedVersions.Remove(summary.AccountId)) _entries++;
        chunk.Accounts[summary.AccountId] = summary;
        _dirty.Add(index);
    }

    private void Apply(string accountId, long version)
    {
        var index = ChunkOf(accountId, _generation);
        var chunk = _chunks[index];
        if (!chunk.Accounts.Remove(accountId) && !chunk.DeletedVersions.ContainsKey(accountId)) _entries++;
        chunk.DeletedVersions[accountId] = Math.Max(version, chunk.DeletedVersions.GetValueOrDefault(accountId));
        _dirty.Add(index);
    }

    /// <summary>Applies a replayed change unless what is held is as new or newer.</summary>
    private void Replay(DirectoryLogRecord record)
    {
        foreach (var summary in record.Upserts.Values)
            if (summary.IsNewerThan(Find(summary.AccountId)) && DeletedVersion(summary.AccountId) < summary.Version) Apply(summary);
        foreach (var (id, version) in record.Removals)
            if ((Find(id)?.Version ?? 0) <= version && DeletedVersion(id) < version) Apply(id, version);
    }

    private void Open(int generation)
    {
        _generation = generation;
        _records = Enumerable.Range(0, 1 << generation).Select(i => new StoredRecord<DirectoryChunk>(storage, grainId, ChunkName(generation, i))).ToArray();
        _chunks = Enumerable.Range(0, 1 << generation).Select(_ => new DirectoryChunk()).ToArray();
        _dirty.Clear();
    }

    /// <summary>Doubles the chunks until they average at most <see cref="TargetChunkSize"/> entries; all of them are then dirty.</summary>
    private void Grow()
    {
        var old = _chunks;
        _retired.AddRange(_records.Where(r => r.Exists).Select(r => (Func<Task>)r.ClearAsync));
        var generation = _generation;
        while (_entries > (1 << generation) * TargetChunkSize) generation++;
        Open(generation);
        foreach (var chunk in old)
        {
            foreach (var (id, summary) in chunk.Accounts) _chunks[ChunkOf(id, _generation)].Accounts[id] = summary;
            foreach (var (id, version) in chunk.DeletedVersions) _chunks[ChunkOf(id, _generation)].DeletedVersions[id] = version;
        }
        MarkAllDirty();
    }

    private void MarkAllDirty()
    {
        for (var i = 0; i < _chunks.Length; i++) _dirty.Add(i);
        _headDirty = true;
    }

    // ---------------------------------------------------------------- reading

    /// <summary>Reads the log from the head's first live record up to the first missing one, applying each in order.</summary>
    private async Task ReplayLogAsync()
    {
        while (true)
        {
            var batch = Enumerable.Range(0, ReadsInFlight).Select(i => new StoredRecord<DirectoryLogRecord>(storage, grainId, LogName(_nextLog + i))).ToArray();
            var records = await Task.WhenAll(batch.Select(r => r.ReadAsync()));
            for (var i = 0; i < batch.Length; i++)
            {
                if (!batch[i].Exists) return;
                Replay(records[i]);
                _log.Add(batch[i]);
                _nextLog++;
                _loggedChanges += records[i].Count;
            }
        }
    }

    private async Task<T[]> ReadAllAsync<T>(IReadOnlyList<StoredRecord<T>> records) where T : class, new()
    {
        // A few reads at a time: 32 partitions activating together must not flood storage.
        var values = new List<T>(records.Count);
        foreach (var batch in records.Chunk(ReadsInFlight)) values.AddRange(await Task.WhenAll(batch.Select(r => r.ReadAsync())));
        return [.. values];
    }

    /// <summary>Moves the entries of the earlier layouts (64 low-bit chunks, or one partition record) into this one.</summary>
    private async Task LoadLegacyAsync()
    {
        var legacyChunks = Enumerable.Range(0, LegacyChunkCount).Select(i => new StoredRecord<DirectoryChunk>(storage, grainId, $"dir-{i:D3}")).ToArray();
        var legacyPartition = new StoredRecord<DirectoryPartitionState>(storage, grainId, LegacyPartitionName);
        var chunks = await ReadAllAsync(legacyChunks);
        var partition = await legacyPartition.ReadAsync();

        foreach (var summary in partition.Accounts.Concat(chunks.SelectMany(c => c.Accounts.Values)))
            if (summary.IsNewerThan(Find(summary.AccountId))) Apply(summary);
        foreach (var (id, version) in partition.DeletedVersions.Concat(chunks.SelectMany(c => c.DeletedVersions)))
            if (Find(id) is not { } held || held.Version <= version) Apply(id, version);

        _retired.AddRange(legacyChunks.Where(r => r.Exists).Select(r => (Func<Task>)r.ClearAsync));
        if (legacyPartition.Exists) _retired.Add(legacyPartition.ClearAsync);
        if (_retired.Count > 0) MarkAllDirty();
    }
}

/// <summary>Which generation of chunks holds a directory partition, and where its log starts.</summary>
[GenerateSerializer, Alias("actorcrm.state.DirectoryHead")]
public sealed class DirectoryHead
{
    [Id(0)] public int Generation { get; set; }
    /// <summary>Number of the first log record not folded into the chunks.</summary>
    [Id(1)] public long LogStart { get; set; }
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

/// <summary>One appended log record of a directory partition: the latest change of each account it names.</summary>
[GenerateSerializer, Alias("actorcrm.state.DirectoryLogRecord")]
public sealed class DirectoryLogRecord
{
    [Id(0)] public Dictionary<string, AccountSummary> Upserts { get; set; } = new(StringComparer.Ordinal);
    [Id(1)] public Dictionary<string, long> Removals { get; set; } = new(StringComparer.Ordinal);

    public bool IsEmpty => Upserts.Count == 0 && Removals.Count == 0;

    public int Count => Upserts.Count + Removals.Count;

    /// <summary>Adds the changes of <paramref name="later"/>, which were made after this record's.</summary>
    public void AddNewer(DirectoryLogRecord later)
    {
        foreach (var (id, summary) in later.Upserts) Upserts[id] = summary;
        foreach (var (id, version) in later.Removals) Removals[id] = Math.Max(version, Removals.GetValueOrDefault(id));
    }
}

/// <summary>A whole partition as saved before it was split into <see cref="DirectoryChunk"/>s; read only to migrate it.</summary>
[GenerateSerializer, Alias("actorcrm.state.DirectoryPartition")]
public sealed record DirectoryPartitionState
{
    [Id(0)] public IReadOnlyList<AccountSummary> Accounts { get; init; } = [];
    [Id(1)] public IReadOnlyDictionary<string, long> DeletedVersions { get; init; } = new Dictionary<string, long>();
}
