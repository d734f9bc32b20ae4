
namespace ActorCrm.Grains;

/// <summary>
/// The account directory as a whole: a fixed number of partition grains. A page is read from all
/// partitions in parallel and merged, so the list comes out in global account_id order and paging
/// by the last id returns every account exactly once.
/// </summary>
public static class AccountDirectory
{
    /// <summary>Fixed for a deployment: changing it would strand existing index entries.</summary>
    public const int Partitions = 32;

    public static int PartitionOf(string accountId) => (int)(Domain.StableHash.Fnv1a32(accountId) % Partitions);

    public static IAccountDirectoryGrain PartitionFor(IGrainFactory grains, string accountId) =>
        grains.GetGrain<IAccountDirectoryGrain>(PartitionOf(accountId));

    public static async Task<IReadOnlyList<AccountSummary>> QueryAsync(IGrainFactory grains, DirectoryQuery query)
    {
        var pages = await Task.WhenAll(Enumerable.Range(0, Partitions)
            .Select(p => grains.GetGrain<IAccountDirectoryGrain>(p).QueryAsync(query)));
        return pages.SelectMany(page => page)
            .OrderBy(s => s.AccountId, StringComparer.Ordinal)
            .Take(query.Limit)
            .ToList();
    }

    /// <summary>A page in coverage order (then id) after <paramref name="after"/>, merged from every partition.</summary>
    public static async Task<IReadOnlyList<AccountSummary>> QueryByCoverageAsync(IGrainFactory grains, DirectoryQuery query, CoverageCursor? after, bool descending)
    {
        var pages = await Task.WhenAll(Enumerable.Range(0, Partitions)
            .Select(p => grains.GetGrain<IAccountDirectoryGrain>(p).QueryByCoverageAsync(query, after, descending)));
        return pages.SelectMany(page => page)
            .Order(Comparer<AccountSummary>.Create((a, b) => CoverageCursor.Compare(a, b, descending)))
            .Take(query.Limit)
            .ToList();
    }

    /// <summary>The entries of these ids, from their partitions (missing ids are left out).</summary>
    public static async Task<IReadOnlyList<AccountSummary>> GetManyAsync(IGrainFactory grains, IReadOnlyList<string> accountIds)
    {
        var pages = await Task.WhenAll(accountIds.GroupBy(PartitionOf)
            .Select(group => grains.GetGrain<IAccountDirectoryGrain>(group.Key).GetManyAsync(group.ToList())));
        return pages.SelectMany(page => page).ToList();
    }

    /// <summary>Up to <paramref name="limit"/> ids of accounts listed under the parent (from every partition).</summary>
    public static async Task<IReadOnlyList<string>> ListChildrenAsync(IGrainFactory grains, string parentAccountId, int limit)
    {
        var pages = await Task.WhenAll(Enumerable.Range(0, Partitions)
            .Select(p => grains.GetGrain<IAccountDirectoryGrain>(p).ListChildrenAsync(parentAccountId, limit)));
        return pages.SelectMany(page => page).Order(StringComparer.Ordinal).Take(limit).ToList();
    }

    /// <summary>
    /// The account and every account below it, at any depth, level by level: one call per partition
    /// per level, whatever the level's width. Stops at <paramref name="maxDepth"/> levels below it.
    /// </summary>
    public static async Task<IReadOnlyList<string>> SubtreeAsync(IGrainFactory grains, string accountId, int maxDepth)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { accountId };
        IReadOnlyList<string> level = [accountId];
        for (var depth = 0; level.Count > 0 && depth < maxDepth; depth++)
        {
            var pages = await Task.WhenAll(Enumerable.Range(0, Partitions)
                .Select(p => grains.GetGrain<IAccountDirectoryGrain>(p).ListChildrenOfAllAsync(level)));
            level = pages.SelectMany(page => page).Where(seen.Add).ToArray(); // seen guards against a corrupt cycle
        }
        return [.. seen];
    }

    public static async Task<long> CountAsync(IGrainFactory grains)
    {
        var counts = await Task.WhenAll(Enumerable.Range(0, Partitions)
            .Select(p => grains.GetGrain<IAccountDirectoryGrain>(p).CountAsync()));
        return counts.Sum(c => (long)c);
    }
}
