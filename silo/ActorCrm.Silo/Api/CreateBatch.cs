namespace ActorCrm.Silo.Api;

/// <summary>The order in which the creates of one BatchCreateAccounts run.</summary>
internal static class CreateBatch
{
    /// <summary>
    /// The requests (by index) in waves: a request whose parent is created by an earlier request of
    /// the batch runs in a later wave than that parent; all others run in the first wave. Repeated
    /// ids (see <see cref="Repeats"/>) are left out. A cycle of parents within the batch is cut
    /// somewhere; each account in it then finds its parent missing.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<int>> Waves(IReadOnlyList<(string AccountId, string ParentAccountId)> creates)
    {
        var first = FirstIndexById(creates.Select(c => c.AccountId).ToList());
        var depth = new int?[creates.Count];
        int DepthOf(int index, HashSet<int> visiting)
        {
            if (depth[index] is { } known) return known;
            var parent = creates[index].ParentAccountId;
            var result = parent.Length > 0 && first.TryGetValue(parent, out var parentIndex) && visiting.Add(parentIndex)
                ? DepthOf(parentIndex, visiting) + 1
                : 0;
            return (depth[index] = result).Value;
        }

        var repeats = Repeats(creates.Select(c => c.AccountId).ToList()).ToHashSet();
        return Enumerable.Range(0, creates.Count)
            .Where(i => !repeats.Contains(i))
            .GroupBy(i => DepthOf(i, [i]))
            .OrderBy(g => g.Key)
            .Select(g => (IReadOnlyList<int>)g.ToList())
            .ToList();
    }

    /// <summary>Indexes of requests whose account_id an earlier request of the batch already names.</summary>
    public static IEnumerable<int> Repeats(IReadOnlyList<string> accountIds)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < accountIds.Count; i++)
            if (accountIds[i].Length > 0 && !seen.Add(accountIds[i])) yield return i;
    }

    private static Dictionary<string, int> FirstIndexById(IReadOnlyList<string> accountIds)
    {
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < accountIds.Count; i++)
            if (accountIds[i].Length > 0) first.TryAdd(accountIds[i], i);
        return first;
    }
}
