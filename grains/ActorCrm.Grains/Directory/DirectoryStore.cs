using ActorCrm.Grains.Infrastructure;
using Orleans.Storage;

namespace ActorCrm.Grains.Directory;

/// <summary>
/// How one directory partition is saved: its entries spread by id hash over 2^generation chunk
/// records ("dir-{generation}-{chunk}"), plus a head record ("directory-head") naming the
/// generation. A save rewrites only the chunks that changed, and the generation grows with the
/// partition so a chunk stays near <see cref="TargetChunkSize"/> entries: the cost of a change does
/// not grow with the book, and an activation reads ~entries/64 records.
/// </summary>
/// <remarks>
/// Growing doubles the chunks: every entry is written under the next generation, then the head
/// moves to it, then the old records are cleared. Until the head is written the old generation is
/// what an activation reads, so nothing acknowledged is lost if the silo dies in between (the
/// changes made meanwhile are only acknowledged by the save that writes the head). Records of an old
/// generation that a crash left behind are never read again.
/// Earlier layouts (one record per partition; 64 chunks by the low bits of the id hash, which
/// correlate with the partition's own hash and so filled only a few chunks) are moved into this
/// one on activation.
/// </remarks>
public sealed class DirectoryStore(IGrainStorage storage, GrainId grainId)
{
    /// <summary>A fresh partition starts with 2^3 = 8 chunks.</summary>
    public const int MinGeneration = 3;

    /// <summary>Entries per chunk (on average) above which the chunks double.</summary>
    public const int TargetChunkSize = 64;

    private const string HeadName = "directory-head";
    private const string LegacyPartitionName = "directory";
    private const int LegacyChunkCount = 64;
    private const int ReadsInFlight = 8;

    private readonly StoredRecord<DirectoryHead> _head = new(storage, grainId, HeadName);
    private int _generation = MinGeneration;
    private DirectoryChunk[] _chunks = [];
    private StoredRecord<DirectoryChunk>[] _records = [];
    private readonly HashSet<int> _dirty = [];
    private bool _headDirty;
    private int _entries;

    /// <summary>Records of an earlier layout or generation, cleared once the head names the new one.</summary>
    private List<Func<Task>> _retired = [];

    public int Generation => _generation;

    /// <summary>Whether the load found an earlier layout, which the next save moves into this one.</summary>
    public bool MovingEarlierLayout => _retired.Count > 0 && _headDirty;

    public bool HasChanges => _dirty.Count > 0 || _headDirty;

    /// <summary>Reads the partition (moving an earlier layout into this one) and returns its accounts.</summary>
    public async Task<IReadOnlyList<AccountSummary>> LoadAsync()
    {
        var head = await _head.ReadAsync();
        if (_head.Exists)
        {
            _generation = head.Generation;
            Open(_generation);
            var chunks = await ReadAllAsync(_records);
            for (var i = 0; i < chunks.Length; i++) _chunks[i] = chunks[i];
            _entries = _chunks.Sum(c => c.Accounts.Count + c.DeletedVersions.Count);
        }
        else
        {
            Open(MinGeneration);
            _headDirty = true;
            await LoadLegacyAsync();
        }
        return [.. _chunks.SelectMany(c => c.Accounts.Values)];
    }

    public AccountSummary? Find(string accountId) => _chunks[ChunkOf(accountId, _generation)].Accounts.GetValueOrDefault(accountId);

    /// <summary>The version an account was deleted at, or 0.</summary>
    public long DeletedVersion(string accountId) => _chunks[ChunkOf(accountId, _generation)].DeletedVersions.GetValueOrDefault(accountId);

    public void Put(AccountSummary summary)
    {
        var index = ChunkOf(summary.AccountId, _generation);
        var chunk = _chunks[index];
        if (!chunk.Accounts.ContainsKey(summary.AccountId) && !chunk.DeletedVersions.Remove(summary.AccountId)) _entries++;
        chunk.Accounts[summary.AccountId] = summary;
        _dirty.Add(index);
        GrowIfFull();
    }

    public void Remove(string accountId, long version)
    {
        var index = ChunkOf(accountId, _generation);
        var chunk = _chunks[index];
        if (!chunk.Accounts.Remove(accountId) && !chunk.DeletedVersions.ContainsKey(accountId)) _entries++;
        chunk.DeletedVersions[accountId] = Math.Max(version, chunk.DeletedVersions.GetValueOrDefault(accountId));
        _dirty.Add(index);
        GrowIfFull();
    }

    /// <summary>
    /// Writes copies of the changed chunks, then the head if the generation changed, then clears
    /// retired records. Throws if a chunk or the head was not written (they stay dirty for the next
    /// save). Returns only once every change made before it started is where the head points.
    /// </summary>
    public async Task SaveAsync()
    {
        while (true)
        {
            var generation = _generation;
            await WriteDirtyChunksAsync();
            if (!_headDirty) return;
            if (generation != _generation) continue; // grew meanwhile: write the new generation too, then point the head at it

            await _head.WriteAsync(new DirectoryHead { Generation = generation });
            if (generation != _generation) return; // grew during the head write: the next save moves the head on
            _headDirty = false;
            var retired = _retired;
            _retired = [];
            // Best effort: a retired record left behind is never read again.
            await Task.WhenAll(retired.Select(async clear =>
            {
                try { await clear(); }
                catch (Exception) { /* garbage only */ }
            }));
            return;
        }
    }

    private async Task WriteDirtyChunksAsync()
    {
        var writes = _dirty.Select(i => (Index: i, Record: _records[i], Copy: _chunks[i].Copy())).ToArray();
        _dirty.Clear();
        var failures = await Task.WhenAll(writes.Select(async w =>
        {
            try
            {
                await w.Record.WriteAsync(w.Copy);
                return null;
            }
            catch (Exception error)
            {
                // After a grow meanwhile the record is retired, and every chunk of the new generation is dirty anyway.
                if (ReferenceEquals(_records[w.Index], w.Record)) _dirty.Add(w.Index);
                return error;
            }
        }));
        if (failures.FirstOrDefault(e => e is not null) is { } failure)
            throw new IOException($"{failures.Count(e => e is not null)} of {writes.Length} directory chunks were not saved", failure);
    }

    /// <summary>The chunk of an account in a generation: the top bits of its 64-bit hash (the partition uses the low bits of the 32-bit one).</summary>
    public static int ChunkOf(string accountId, int generation) => (int)(Domain.StableHash.Fnv1a64(accountId) >> (64 - generation));

    public static string ChunkName(int generation, int index) => $"dir-{generation}-{index:D5}";

    private void Open(int generation)
    {
        _generation = generation;
        _records = Enumerable.Range(0, 1 << generation).Select(i => new StoredRecord<DirectoryChunk>(storage, grainId, ChunkName(generation, i))).ToArray();
        _chunks = Enumerable.Range(0, 1 << generation).Select(_ => new DirectoryChunk()).ToArray();
        _dirty.Clear();
    }

    private void GrowIfFull()
    {
        if (_entries <= _chunks.Length * TargetChunkSize) return;
        var old = _chunks;
        _retired.AddRange(_records.Where(r => r.Exists).Select(r => (Func<Task>)r.ClearAsync));
        Open(_generation + 1);
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
            if (Find(summary.AccountId) is not { } held || held.Version < summary.Version) Put(summary);
        foreach (var (id, version) in partition.DeletedVersions.Concat(chunks.SelectMany(c => c.DeletedVersions)))
            if (Find(id) is not { } held || held.Version <= version) Remove(id, version);

        _retired.AddRange(legacyChunks.Where(r => r.Exists).Select(r => (Func<Task>)r.ClearAsync));
        if (legacyPartition.Exists) _retired.Add(legacyPartition.ClearAsync);
        if (_retired.Count > 0) MarkAllDirty();
    }
}

/// <summary>Which generation of chunks holds a directory partition.</summary>
[GenerateSerializer, Alias("actorcrm.state.DirectoryHead")]
public sealed class DirectoryHead
{
    [Id(0)] public int Generation { get; set; }
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
