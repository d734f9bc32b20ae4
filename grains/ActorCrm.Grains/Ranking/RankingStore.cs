using System.Diagnostics;
using ActorCrm.Domain.Revenue;
using Orleans.Storage;

namespace ActorCrm.Grains.Ranking;

/// <summary>A ranking's saved header: the daily history (the book itself is in <see cref="RankingChunk"/>s).</summary>
[GenerateSerializer, Alias("actorcrm.state.Ranking")]
public sealed class RankingState
{
    // Id 0 held the whole book before it was split into chunks; it is not reused.
    [Id(1)] public List<ConcentrationDay> History { get; set; } = [];
}

/// <summary>One chunk of a ranking's saved book: the entries of the accounts whose id hashes to it.</summary>
[GenerateSerializer, Alias("actorcrm.state.RankingChunk")]
public sealed class RankingChunk
{
    [Id(0)] public Dictionary<string, BookEntry> Entries { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Saves a ranking grain's book as <see cref="ChunkCount"/> blobs (state names "book-000" …
/// "book-063") plus a small header ("ranking", the history), and rewrites only the chunks whose
/// accounts changed since the last save: a quiet book costs nothing, a busy one its changed chunks,
/// never one blob of the whole book.
/// </summary>
/// <remarks>
/// A save writes copies, so the grain goes on applying reports while the writes are in flight; a
/// chunk whose write fails is dirty again and goes out with the next save. An account stays in the
/// chunk of its hash for good: changing <see cref="ChunkCount"/> would need a migration.
/// </remarks>
public sealed class RankingStore(IGrainStorage storage, GrainId grainId)
{
    public const int ChunkCount = 64;

    private const string HeaderName = "ranking";

    private readonly GrainState<RankingState> _header = new(new RankingState());
    private readonly GrainState<RankingChunk>[] _chunks = Enumerable.Range(0, ChunkCount).Select(_ => new GrainState<RankingChunk>(new RankingChunk())).ToArray();
    private readonly HashSet<int> _dirty = [];

    /// <summary>The saved history (the grain's own list; saved as a copy).</summary>
    public List<ConcentrationDay> History => _header.State!.History;

    /// <summary>Whether any account changed since the last save.</summary>
    public bool HasChanges => _dirty.Count > 0;

    /// <summary>Reads the header and every chunk (in parallel) and returns all entries.</summary>
    public async Task<Dictionary<string, BookEntry>> LoadAsync()
    {
        await Task.WhenAll(_chunks.Select((chunk, i) => storage.ReadStateAsync(ChunkName(i), grainId, chunk))
            .Append(storage.ReadStateAsync(HeaderName, grainId, _header)));
        _header.State ??= new RankingState();
        var entries = new Dictionary<string, BookEntry>(StringComparer.Ordinal);
        foreach (var chunk in _chunks)
        {
            chunk.State ??= new RankingChunk();
            foreach (var (id, entry) in chunk.State.Entries) entries[id] = entry;
        }
        return entries;
    }

    /// <summary>Records that an account's entry changed (the chunk holds the book's own entry object).</summary>
    public void Changed(string accountId, BookEntry entry)
    {
        var index = ChunkOf(accountId);
        _chunks[index].State!.Entries[accountId] = entry;
        _dirty.Add(index);
    }

    /// <summary>Writes the dirty chunks, then the header. Throws if any write failed (what failed is retried by the next save).</summary>
    public async Task<SaveResult> SaveAsync()
    {
        var started = Stopwatch.GetTimestamp();
        var writes = _dirty.Select(i => (Index: i, Copy: ChunkCopy(i))).ToArray();
        _dirty.Clear();
        var failures = await Task.WhenAll(writes.Select(async w =>
        {
            try
            {
                // Off the ranking's turn: serializing a busy million-account book takes seconds of CPU,
                // and reports would queue behind it. The copy is the save's own, so nothing changes it meanwhile.
                await Task.Run(() => storage.WriteStateAsync(ChunkName(w.Index), grainId, w.Copy));
                _chunks[w.Index].ETag = w.Copy.ETag;
                _chunks[w.Index].RecordExists = true;
                return null;
            }
            catch (Exception e)
            {
                await AdoptStoredETagAsync(ChunkName(w.Index), _chunks[w.Index], e);
                _dirty.Add(w.Index);
                return e;
            }
        }));
        if (failures.FirstOrDefault(e => e is not null) is { } failure)
            throw new IOException($"{failures.Count(e => e is not null)} of {writes.Length} ranking chunks were not saved", failure);

        var header = new GrainState<RankingState>(new RankingState { History = [.. History] }) { ETag = _header.ETag, RecordExists = _header.RecordExists };
        try
        {
            await storage.WriteStateAsync(HeaderName, grainId, header);
        }
        catch (Exception e)
        {
            await AdoptStoredETagAsync(HeaderName, _header, e);
            throw;
        }
        _header.ETag = header.ETag;
        _header.RecordExists = true;
        return new SaveResult(writes.Length, writes.Sum(w => w.Copy.State!.Entries.Count), Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// A write whose answer was lost (a storage outage) may have landed, leaving our ETag stale. This
    /// activation is the book's only writer and its entries are versioned, so the next save may
    /// overwrite what is stored: it reads the stored ETag (the exception carries only ours).
    /// </summary>
    private async Task AdoptStoredETagAsync<T>(string stateName, GrainState<T> state, Exception e) where T : new()
    {
        if (e is not InconsistentStateException) return;
        try
        {
            var stored = new GrainState<T>(new T());
            await storage.ReadStateAsync(stateName, grainId, stored);
            state.ETag = stored.ETag;
            state.RecordExists = stored.RecordExists;
        }
        catch (Exception)
        {
            // Storage is still away: the next save fails the same way and tries again.
        }
    }

    public static int ChunkOf(string accountId) => (int)(Domain.StableHash.Fnv1a32(accountId) % ChunkCount);

    private static string ChunkName(int index) => $"book-{index:D3}";

    // Entries are copied field by field; their bucket arrays are replaced, never changed in place, so sharing them is safe.
    private GrainState<RankingChunk> ChunkCopy(int index)
    {
        var chunk = _chunks[index];
        var entries = chunk.State!.Entries;
        var copy = new RankingChunk { Entries = new(entries.Count, StringComparer.Ordinal) };
        foreach (var (id, entry) in entries)
        {
            copy.Entries[id] = entry.Copy();
        }
        return new GrainState<RankingChunk>(copy) { ETag = chunk.ETag, RecordExists = chunk.RecordExists };
    }

    /// <summary>What one save wrote and how long it took.</summary>
    public readonly record struct SaveResult(int Chunks, int Entries, TimeSpan Elapsed);
}
