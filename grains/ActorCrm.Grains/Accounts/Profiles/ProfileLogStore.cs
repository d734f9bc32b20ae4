using ActorCrm.Grains.Infrastructure;
using Orleans.Storage;

namespace ActorCrm.Grains.Accounts.Profiles;

/// <summary>
/// How one profile partition is saved, log-structured like the directory (see DirectoryStore): a save
/// appends the records written since the last one as one log record ("profile-log-{n}"); a
/// checkpoint, now and then, folds the log into chunk records ("profile-{generation}-{chunk}", keys
/// spread by hash over 2^generation chunks) and moves the head ("profile-head") past it. Unlike the
/// directory, which lists every account and so holds them all, a partition loads a chunk when a key
/// in it is first read and drops clean chunks beyond <see cref="MaxCachedChunks"/>: profiles are
/// read when an account activates, not listed.
/// </summary>
/// <remarks>
/// Replaying is idempotent: each record carries its version and a lower version never replaces a
/// higher one, so a log record also folded into a chunk, or a chunk a crashed checkpoint wrote
/// ahead of its head, does no harm. A failed append drops the records it carried (their writers are
/// told) and the next append reuses its number, so the log has no gaps. Until a checkpoint's head
/// is written, an activation reads the previous chunks and the whole log: a crash loses nothing
/// acknowledged.
/// </remarks>
public sealed class ProfileLogStore(IGrainStorage storage, GrainId grainId)
{
    public const int MinGeneration = 3;

    /// <summary>Records per chunk (on average) above which a checkpoint doubles the chunks.</summary>
    public const int TargetChunkSize = 64;

    /// <summary>
    /// Log records after which a checkpoint is due, so an activation replays a bounded number. Not
    /// lower: appends under load carry a few changes each, and a checkpoint every 128 of them
    /// rewrote every chunk of a partition per ~500 changes (O(n) per change on a bulk load).
    /// </summary>
    public const int MaxLogRecords = 1_024;

    /// <summary>Logged records after which a checkpoint is due (or as many as the partition holds, if more): see DirectoryStore.</summary>
    public const int MinCheckpointChanges = 4_096;

    /// <summary>Clean chunks kept in memory (~32k profiles); beyond it a checkpoint drops some, to be read again when needed.</summary>
    public const int MaxCachedChunks = 512;

    private const string HeadName = "profile-head";
    /// <summary>Record reads or chunk writes one partition has in flight at once (storage serves all partitions).</summary>
    private const int ReadsInFlight = 8;

    private readonly StoredRecord<ProfileStoreHead> _head = new(storage, grainId, HeadName);
    private int _generation = MinGeneration;
    private StoredRecord<ProfileChunk>[] _records = [];
    /// <summary>The chunks read so far (null: not in memory) and the reads in flight.</summary>
    private ProfileChunk?[] _chunks = [];
    private Task<ProfileChunk>?[] _loads = [];
    private readonly HashSet<int> _dirty = [];
    private long _entries;

    /// <summary>Records written to the log and not folded into the chunks yet (the newest of each key).</summary>
    private readonly Dictionary<string, ProfileRecord> _logged = new(StringComparer.Ordinal);

    /// <summary>Records waiting for the next append, and those of the append in flight.</summary>
    private Dictionary<string, ProfileRecord> _pending = new(StringComparer.Ordinal);
    private IReadOnlyDictionary<string, ProfileRecord>? _appendingRecords;

    private long _logStart, _nextLog, _loggedChanges;
    private readonly List<StoredRecord<ProfileLogRecord>> _log = [];
    private StoredRecord<ProfileLogRecord>? _appending;
    private List<Func<Task>> _retired = [];

    /// <summary>Whether accounts stored before this partition existed may still be in their own records (see IProfilePartitionGrain).</summary>
    public bool EarlierRecordsPossible { get; private set; }

    public int Generation => _generation;

    public bool HasPending => _pending.Count > 0;

    public bool CheckpointDue => _nextLog - _logStart >= MaxLogRecords || _loggedChanges >= Math.Max(MinCheckpointChanges, _entries);

    public static string ChunkName(int generation, int index) => $"profile-{generation}-{index:D5}";

    public static string LogName(long number) => $"profile-log-{number:D10}";

    public static int ChunkOf(string key, int generation) => (int)(Domain.StableHash.Fnv1a64(key) >> (64 - generation));

    /// <summary>Reads the head and replays the log. False: the partition has never been saved (call <see cref="CreateAsync"/>).</summary>
    public async Task<bool> LoadAsync()
    {
        var head = await _head.ReadAsync();
        if (!_head.Exists) return false;
        Open(head.Generation, loaded: false);
        _entries = head.Entries;
        _logStart = _nextLog = head.LogStart;
        EarlierRecordsPossible = head.EarlierRecordsPossible;
        await ReplayLogAsync();
        return true;
    }

    /// <summary>Saves the head of a new partition, so whether earlier records may exist is decided once.</summary>
    public async Task CreateAsync(bool earlierRecordsPossible)
    {
        await _head.WriteAsync(new ProfileStoreHead { Generation = MinGeneration, EarlierRecordsPossible = earlierRecordsPossible });
        Open(MinGeneration, loaded: false);
        EarlierRecordsPossible = earlierRecordsPossible;
    }

    /// <summary>Whether a record of the key waits for an append or is being appended.</summary>
    public bool IsUnsaved(string key) => _pending.ContainsKey(key) || (_appendingRecords?.ContainsKey(key) ?? false);

    /// <summary>The newest durable record of the key (version 0 if none).</summary>
    public async ValueTask<ProfileRecord> FindAsync(string key)
    {
        while (true)
        {
            if (_logged.TryGetValue(key, out var logged)) return logged;
            var generation = _generation;
            var chunk = await ChunkAsync(ChunkOf(key, generation));
            // A checkpoint may have grown the chunks, or an append logged the key, while the chunk was read.
            if (_logged.TryGetValue(key, out logged)) return logged;
            if (generation == _generation) return chunk.Entries.GetValueOrDefault(key) ?? ProfileRecord.None;
        }
    }

    /// <summary>The newest record of the key, saved or not.</summary>
    public async ValueTask<ProfileRecord> LatestAsync(string key)
    {
        if (Unsaved(key) is { } unsaved) return unsaved;
        var found = await FindAsync(key);
        return Unsaved(key) ?? found;
    }

    private ProfileRecord? Unsaved(string key) =>
        _pending.TryGetValue(key, out var pending) ? pending
        : _appendingRecords is not null && _appendingRecords.TryGetValue(key, out var appending) ? appending
        : null;

    public void Put(string key, ProfileRecord record) => _pending[key] = record;

    /// <summary>
    /// Writes every pending record as one log record. If storage does not confirm it, its records are
    /// dropped (with any later one of the same keys, which was based on them) and this throws.
    /// </summary>
    public async Task AppendAsync()
    {
        if (_pending.Count == 0) return;
        var records = _pending;
        _pending = new Dictionary<string, ProfileRecord>(StringComparer.Ordinal);
        _appendingRecords = records;
        try
        {
            // A retry reuses the record object (the same number): if the failed write landed after all, it knows the ETag.
            _appending ??= new StoredRecord<ProfileLogRecord>(storage, grainId, LogName(_nextLog));
            await _appending.WriteAsync(new ProfileLogRecord { Records = records });
        }
        catch (Exception)
        {
            foreach (var key in records.Keys) _pending.Remove(key);
            throw;
        }
        finally
        {
            _appendingRecords = null;
        }
        foreach (var (key, record) in records) _logged[key] = record;
        _log.Add(_appending);
        _appending = null;
        _nextLog++;
        _loggedChanges += records.Count;
    }

    /// <summary>
    /// Folds the log into the chunks (reading those not in memory, doubling them if they are full),
    /// writes the changed chunks, then the head, then clears the folded log records in the background.
    /// Must not run alongside an append. Throws if a chunk or the head was not written; they stay due.
    /// </summary>
    public async Task CheckpointAsync()
    {
        if (_entries + _logged.Count > (long)_chunks.Length * TargetChunkSize) await GrowAsync();

        var foldedUpTo = _nextLog;
        var folding = _logged.GroupBy(r => ChunkOf(r.Key, _generation)).ToArray();
        var chunks = await ReadBoundedAsync(folding.Select(g => g.Key).ToArray(), ChunkAsync);
        for (var i = 0; i < folding.Length; i++)
        {
            foreach (var (key, record) in folding[i])
            {
                var held = chunks[i].Entries.GetValueOrDefault(key);
                if (held is null) _entries++;
                if (held is null || held.Version < record.Version) chunks[i].Entries[key] = record;
            }
            _dirty.Add(folding[i].Key);
        }
        _logged.Clear(); // every folded record is now in a chunk held in memory (dirty chunks are never dropped)

        await CheckpointRecords.WriteDirtyAsync(_dirty, i => _chunks[i]!.Copy(), i => _records[i], "profile chunks");

        await _head.WriteAsync(new ProfileStoreHead { Generation = _generation, LogStart = foldedUpTo, Entries = _entries, EarlierRecordsPossible = EarlierRecordsPossible });
        var garbage = _retired.Concat(_log.Select(r => (Func<Task>)r.ClearAsync)).ToList();
        _log.Clear();
        _retired = [];
        _logStart = foldedUpTo;
        _loggedChanges = 0;
        CheckpointRecords.ClearInBackground(garbage);
        DropCleanChunks();
    }

    // ---------------------------------------------------------------- chunks

    private void Open(int generation, bool loaded)
    {
        _generation = generation;
        var count = 1 << generation;
        _records = Enumerable.Range(0, count).Select(i => new StoredRecord<ProfileChunk>(storage, grainId, ChunkName(generation, i))).ToArray();
        _chunks = loaded ? Enumerable.Range(0, count).Select(_ => new ProfileChunk()).ToArray() : new ProfileChunk?[count];
        _loads = new Task<ProfileChunk>?[count];
        _dirty.Clear();
    }

    private Task<ProfileChunk> ChunkAsync(int index)
    {
        if (_chunks[index] is { } chunk) return Task.FromResult(chunk);
        if (_loads[index] is { IsFaulted: false } loading) return loading;
        return _loads[index] = LoadChunkAsync(index);
    }

    private async Task<ProfileChunk> LoadChunkAsync(int index)
    {
        var (records, chunks) = (_records, _chunks);
        var chunk = await records[index].ReadAsync();
        // Kept unless the chunks were regrown meanwhile (the caller then looks again in the new ones).
        return chunks[index] ??= chunk;
    }

    /// <summary>Doubles the chunks until they average at most <see cref="TargetChunkSize"/> records; all are then dirty.</summary>
    private async Task GrowAsync()
    {
        var old = await ReadBoundedAsync(Enumerable.Range(0, _chunks.Length).ToArray(), ChunkAsync);
        _retired.AddRange(_records.Where(r => r.Exists).Select(r => (Func<Task>)r.ClearAsync));
        var generation = _generation;
        while (_entries + _logged.Count > (1L << generation) * TargetChunkSize) generation++;
        Open(generation, loaded: true);
        foreach (var chunk in old)
            foreach (var (key, record) in chunk.Entries) _chunks[ChunkOf(key, generation)]!.Entries[key] = record;
        for (var i = 0; i < _chunks.Length; i++) _dirty.Add(i);
    }

    /// <summary>Drops clean chunks from memory once more than <see cref="MaxCachedChunks"/> are held.</summary>
    private void DropCleanChunks()
    {
        var held = _chunks.Count(c => c is not null);
        if (held <= MaxCachedChunks) return;
        for (var i = 0; i < _chunks.Length && held > MaxCachedChunks * 3 / 4; i++)
        {
            if (_chunks[i] is null || _dirty.Contains(i)) continue;
            _chunks[i] = null;
            _loads[i] = null;
            held--;
        }
    }

    // ---------------------------------------------------------------- reading

    private async Task ReplayLogAsync()
    {
        while (true)
        {
            var batch = Enumerable.Range(0, ReadsInFlight).Select(i => new StoredRecord<ProfileLogRecord>(storage, grainId, LogName(_nextLog + i))).ToArray();
            var read = await Task.WhenAll(batch.Select(r => r.ReadAsync()));
            for (var i = 0; i < batch.Length; i++)
            {
                if (!batch[i].Exists) return;
                foreach (var (key, record) in read[i].Records)
                    if (!_logged.TryGetValue(key, out var held) || held.Version < record.Version) _logged[key] = record;
                _log.Add(batch[i]);
                _nextLog++;
                _loggedChanges += read[i].Records.Count;
            }
        }
    }

    private static async Task<T[]> ReadBoundedAsync<T>(int[] indexes, Func<int, Task<T>> read)
    {
        var values = new List<T>(indexes.Length);
        foreach (var batch in indexes.Chunk(ReadsInFlight)) values.AddRange(await Task.WhenAll(batch.Select(read)));
        return [.. values];
    }

}

/// <summary>Which generation of chunks holds a profile partition, where its log starts, and how many records it holds.</summary>
[GenerateSerializer, Alias("actorcrm.state.ProfileStoreHead")]
public sealed class ProfileStoreHead
{
    [Id(0)] public int Generation { get; set; }
    /// <summary>Number of the first log record not folded into the chunks.</summary>
    [Id(1)] public long LogStart { get; set; }
    [Id(2)] public long Entries { get; set; }
    /// <summary>Set when the partition was created over a store that already held accounts in one record each.</summary>
    [Id(3)] public bool EarlierRecordsPossible { get; set; }
}

/// <summary>One saved chunk of a profile partition: the records whose key hashes to it.</summary>
[GenerateSerializer, Alias("actorcrm.state.ProfileChunk")]
public sealed class ProfileChunk
{
    [Id(0)] public Dictionary<string, ProfileRecord> Entries { get; set; } = new(StringComparer.Ordinal);

    /// <summary>A copy to save (records are immutable, so sharing them is safe).</summary>
    public ProfileChunk Copy() => new() { Entries = new(Entries, StringComparer.Ordinal) };
}

/// <summary>One appended log record: the records written between two appends (the newest of each key).</summary>
[GenerateSerializer, Alias("actorcrm.state.ProfileLogRecord")]
public sealed class ProfileLogRecord
{
    [Id(0)] public IReadOnlyDictionary<string, ProfileRecord> Records { get; set; } = new Dictionary<string, ProfileRecord>(StringComparer.Ordinal);
}
