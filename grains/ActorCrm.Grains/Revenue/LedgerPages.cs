using ActorCrm.Domain.Revenue;
using ActorCrm.Grains.Infrastructure;
using Orleans.Storage;

namespace ActorCrm.Grains.Revenue;

/// <summary>
/// The small ledgers of a revenue partition, many to a record: the partition's accounts hash to
/// <see cref="Pages"/> page records ("ledger-page-{n}"), each holding, per account, its ledger index
/// and — while the ledger fits in one chunk, as most do — that chunk. A checkpoint rewrites the pages
/// its changed ledgers are on instead of writing one or two records per account, and a ledger is
/// read with its page (shared by the accounts on it). A ledger that outgrows one chunk moves to
/// records of its own (<see cref="LedgerStore"/>: sealed chunks are then never rewritten) and its
/// page says so.
/// </summary>
/// <remarks>
/// Why: one storage write per changed account per checkpoint capped a durable ingest over 100k
/// accounts at a few hundred events per second on Azurite (docs/benchmarks.md). Crash safety is the
/// log's: a checkpoint truncates the log only once every page and record it wrote is stored.
/// </remarks>
public sealed class LedgerPages(IGrainStorage storage, GrainId partition, bool allEmpty)
{
    /// <summary>Fixed: ~12 accounts a page at 100k accounts (32 partitions), ~120 at 1M.</summary>
    public const int Pages = 256;

    private readonly StoredRecord<LedgerPage>?[] _records = new StoredRecord<LedgerPage>?[Pages];
    private readonly LedgerPage?[] _pages = allEmpty ? Enumerable.Range(0, Pages).Select(_ => new LedgerPage()).ToArray() : new LedgerPage?[Pages];
    private readonly Task<LedgerPage>?[] _loads = new Task<LedgerPage>?[Pages];
    private readonly HashSet<int> _dirty = [];

    public static string RecordName(int page) => $"ledger-page-{page:D3}";

    public static int PageOf(string accountId) => (int)(Domain.StableHash.Fnv1a64(accountId) >> 56);

    /// <summary>The account's entry, reading its page if this activation has not yet.</summary>
    public async Task<LedgerPageEntry?> FindAsync(string accountId)
    {
        var page = await PageAsync(PageOf(accountId));
        return page.Entries.GetValueOrDefault(accountId);
    }

    /// <summary>The account's entry on a page this activation has read (null if none).</summary>
    public LedgerPageEntry? Peek(string accountId) => _pages[PageOf(accountId)]?.Entries.GetValueOrDefault(accountId);

    /// <summary>Sets the account's entry (its page must have been read: the account's ledger was loaded through it).</summary>
    public void Put(string accountId, LedgerPageEntry entry)
    {
        var index = PageOf(accountId);
        var page = _pages[index] ?? throw new InvalidOperationException($"ledger page {index} was not read before a write");
        page.Entries[accountId] = entry;
        _dirty.Add(index);
    }

    /// <summary>Writes the changed pages, a few at a time. Throws if any was not written; those stay due.</summary>
    public Task SaveAsync() => CheckpointRecords.WriteDirtyAsync(_dirty, i => _pages[i]!.Copy(), Record, "ledger pages");

    private Task<LedgerPage> PageAsync(int index)
    {
        if (_pages[index] is { } page) return Task.FromResult(page);
        if (_loads[index] is { IsFaulted: false } loading) return loading;
        return _loads[index] = LoadAsync(index);
    }

    private async Task<LedgerPage> LoadAsync(int index)
    {
        var page = await Record(index).ReadAsync();
        return _pages[index] ??= page;
    }

    private StoredRecord<LedgerPage> Record(int index) => _records[index] ??= new StoredRecord<LedgerPage>(storage, partition, RecordName(index));
}

/// <summary>One page of a revenue partition's ledgers: an entry per account that hashes to it.</summary>
[GenerateSerializer, Alias("actorcrm.state.LedgerPage")]
public sealed class LedgerPage
{
    [Id(0)] public Dictionary<string, LedgerPageEntry> Entries { get; set; } = new(StringComparer.Ordinal);

    /// <summary>A copy to save (entries are replaced, never changed, so sharing them is safe).</summary>
    public LedgerPage Copy() => new() { Entries = new(Entries, StringComparer.Ordinal) };
}

/// <summary>
/// An account's ledger on its page: its index and its one chunk (none if it holds no events), or
/// <see cref="OwnRecords"/>: the ledger is in records of its own ("ledger-index", "ledger-c{n}").
/// </summary>
[GenerateSerializer, Alias("actorcrm.state.LedgerPageEntry")]
public sealed record LedgerPageEntry(
    [property: Id(0)] LedgerIndex Index,
    [property: Id(1)] LedgerChunk? Chunk,
    [property: Id(2)] bool OwnRecords)
{
    public static readonly LedgerPageEntry InOwnRecords = new(new LedgerIndex(), null, true);
}
