using ActorCrm.Ranking;

namespace ActorCrm.Domain.Revenue;

/// <summary>What the ranking keeps per account: its window buckets and its parent, each at the version last applied.</summary>
[GenerateSerializer, Alias("actorcrm.state.BookEntry")]
public sealed class BookEntry
{
    [Id(0)] public long LedgerVersion { get; set; }
    [Id(1)] public DayAmount[] Buckets { get; set; } = [];
    [Id(2)] public string ParentAccountId { get; set; } = "";
    [Id(3)] public long HierarchyVersion { get; set; }
    [Id(4)] public bool Deleted { get; set; }

    /// <summary>The account's listing as of <see cref="HierarchyVersion"/>: what its ranked row shows.</summary>
    [Id(5)] public string DisplayName { get; set; } = "";

    [Id(6)] public Model.StrategicTier Tier { get; set; }

    /// <summary>organisation_profile.yearly_purchase_volume_minor as of <see cref="HierarchyVersion"/> (0 = unknown): for share of wallet.</summary>
    [Id(7)] public long YearlyPurchaseVolumeMinor { get; set; }

    /// <summary>A copy to save while the book goes on changing (the bucket array is shared: reports never change theirs).</summary>
    public BookEntry Copy() => (BookEntry)MemberwiseClone();
}

/// <summary>
/// The ranking of one scope as plain logic: applies account reports (absolute, versioned: a report
/// not newer than what is held is ignored, so an old total never overwrites a new one), ages revenue
/// out of the window day by day with no report needed, and keeps a <see cref="ConcentrationIndex"/>
/// current — per account, or in group scope per top-level account with the revenue of every
/// account below it.
/// </summary>
/// <remarks>
/// Cost per report O(buckets + log n); per hierarchy move O(subtree · log n). Memory: about
/// 16 bytes per (account, day with revenue) plus ~100 bytes per account.
/// </remarks>
public sealed class RevenueBook
{
    private const int MaxDepth = 64;

    private readonly Dictionary<string, BookEntry> _entries;
    private readonly Dictionary<string, (long Total, bool InWindow)> _totals = new(StringComparer.Ordinal);
    private readonly SortedDictionary<DateOnly, HashSet<string>> _changeDays = [];
    private readonly Dictionary<string, DateOnly> _nextChange = new(StringComparer.Ordinal);

    // Group scope only: the hierarchy and each group's running sum.
    private readonly Dictionary<string, HashSet<string>> _children = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _rootOf = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (Int128 Sum, int Members)> _groups = new(StringComparer.Ordinal);

    public RevenueBook(bool groupScope, RevenueWindowRules rules, ConcentrationOptions options, DateOnly today,
        IReadOnlyDictionary<string, BookEntry>? entries = null)
    {
        GroupScope = groupScope;
        Rules = rules;
        Today = today;
        Index = new ConcentrationIndex(options);
        _entries = entries is null ? new(StringComparer.Ordinal) : new(entries, StringComparer.Ordinal);
        foreach (var (id, entry) in _entries)
            if (entry.ParentAccountId.Length > 0) ChildrenOf(entry.ParentAccountId).Add(id);
        foreach (var id in _entries.Keys) Recompute(id);
    }

    public bool GroupScope { get; }

    public RevenueWindowRules Rules { get; }

    public DateOnly Today { get; private set; }

    /// <summary>The live index. Readers outside the owning grain take snapshots of it.</summary>
    public ConcentrationIndex Index { get; }

    /// <summary>Every account's entry (the dictionary itself, so the owner can persist it without a copy).</summary>
    public Dictionary<string, BookEntry> Entries => _entries;

    /// <summary>The next day on which some total changes, or null.</summary>
    public DateOnly? NextChangeDay => _changeDays.Count == 0 ? null : _changeDays.Keys.First();

    /// <summary>The id ranked for an account: itself, or in group scope its top-level account.</summary>
    public string RankedIdOf(string accountId) => GroupScope ? RootOf(accountId) : accountId;

    /// <summary>The account's name and tier as last reported ("" and unspecified if never).</summary>
    public (string DisplayName, Model.StrategicTier Tier) ListingOf(string accountId) =>
        _entries.TryGetValue(accountId, out var entry) ? (entry.DisplayName, entry.Tier) : ("", Model.StrategicTier.Unspecified);

    /// <summary>The account's window total today (0 if unknown).</summary>
    public long TotalOf(string accountId) => _totals.GetValueOrDefault(accountId).Total;

    /// <param name="position">The total the buckets give, if the sender computed it: used when it is as of <see cref="Today"/>.</param>
    public bool ApplyRevenue(string accountId, long ledgerVersion, IReadOnlyList<DayAmount> buckets, WindowPosition? position = null)
    {
        var entry = EntryOf(accountId);
        if (ledgerVersion <= entry.LedgerVersion) return false;
        entry.LedgerVersion = ledgerVersion;
        // A report's bucket array is never changed after it is sent (reports are immutable): kept as it is.
        entry.Buckets = buckets as DayAmount[] ?? [.. buckets];
        Recompute(accountId, position);
        return true;
    }

    public bool ApplyHierarchy(string accountId, string parentAccountId, long profileVersion, bool deleted,
        string displayName = "", Model.StrategicTier tier = Model.StrategicTier.Unspecified, long yearlyPurchaseVolumeMinor = 0)
    {
        var entry = EntryOf(accountId);
        if (profileVersion <= entry.HierarchyVersion) return false;
        entry.HierarchyVersion = profileVersion;
        entry.Deleted = deleted;
        entry.DisplayName = displayName;
        entry.Tier = tier;
        entry.YearlyPurchaseVolumeMinor = deleted ? 0 : yearlyPurchaseVolumeMinor;
        var newParent = deleted ? "" : parentAccountId;
        if (newParent == entry.ParentAccountId) return true;

        // Everything below the account moves with it: take the subtree's revenue out of the groups
        // it was counted in, re-link, and put it into the groups it belongs to now.
        var moved = GroupScope ? Subtree(accountId) : [];
        foreach (var id in moved) CountInGroup(id, -1);
        if (entry.ParentAccountId.Length > 0) ChildrenOf(entry.ParentAccountId).Remove(accountId);
        entry.ParentAccountId = newParent;
        if (newParent.Length > 0) ChildrenOf(newParent).Add(accountId);
        foreach (var id in moved) _rootOf.Remove(id);
        foreach (var id in moved) CountInGroup(id, +1);
        return true;
    }

    /// <summary>
    /// The account's window revenue against its yearly purchase volume, alone and summed over its
    /// subtree (accounts with a volume only). O(subtree).
    /// </summary>
    public Insights.ShareOfWallet ShareOfWalletOf(string accountId)
    {
        long subtreeRevenue = 0, subtreeVolume = 0;
        foreach (var id in Subtree(accountId))
        {
            if (!_entries.TryGetValue(id, out var entry) || entry.Deleted || entry.YearlyPurchaseVolumeMinor <= 0) continue;
            subtreeRevenue += Math.Max(0, TotalOf(id));
            subtreeVolume += entry.YearlyPurchaseVolumeMinor;
        }
        var own = _entries.TryGetValue(accountId, out var self) && !self.Deleted ? self.YearlyPurchaseVolumeMinor : 0;
        return new Insights.ShareOfWallet(Math.Max(0, TotalOf(accountId)), own, subtreeRevenue, subtreeVolume, Rules.WindowDays);
    }

    /// <summary>Moves the window to <paramref name="today"/>: every total that changed at the midnights passed is recomputed.</summary>
    public int AdvanceTo(DateOnly today)
    {
        if (today <= Today) return 0;
        Today = today;
        var due = new List<string>();
        while (_changeDays.Count > 0)
        {
            var (day, accounts) = _changeDays.First();
            if (day > today) break;
            _changeDays.Remove(day);
            foreach (var id in accounts) _nextChange.Remove(id);
            due.AddRange(accounts);
        }
        foreach (var id in due) Recompute(id);
        return due.Count;
    }

    /// <summary>How many ranked entries are in class A, B and C. O(log n).</summary>
    public (long A, long B, long C) ClassCounts()
    {
        var counts = Index.GetAbcCounts();
        return (counts.A, counts.B, counts.C);
    }

    private BookEntry EntryOf(string accountId)
    {
        if (!_entries.TryGetValue(accountId, out var entry)) _entries[accountId] = entry = new BookEntry();
        return entry;
    }

    private HashSet<string> ChildrenOf(string accountId)
    {
        if (!_children.TryGetValue(accountId, out var set)) _children[accountId] = set = new(StringComparer.Ordinal);
        return set;
    }

    private void Recompute(string accountId, WindowPosition? position = null)
    {
        var entry = _entries[accountId];
        if (position is null || position.Day != Today) position = Rules.PositionAt(entry.Buckets, Today);
        if (GroupScope) CountInGroup(accountId, -1);
        _totals[accountId] = (position.Total, position.InWindow);
        if (GroupScope) CountInGroup(accountId, +1);
        else if (position.InWindow) Index.Set(accountId, position.Total);
        else Index.Remove(accountId);
        Reschedule(accountId, position.NextChange);
    }

    private void Reschedule(string accountId, DateOnly? next)
    {
        if (_nextChange.Remove(accountId, out var previous) && _changeDays.TryGetValue(previous, out var set))
        {
            set.Remove(accountId);
            if (set.Count == 0) _changeDays.Remove(previous);
        }
        if (next is not { } day) return;
        _nextChange[accountId] = day;
        if (!_changeDays.TryGetValue(day, out var accounts)) _changeDays[day] = accounts = new(StringComparer.Ordinal);
        accounts.Add(accountId);
    }

    /// <summary>Adds (+1) or removes (−1) an account's current total to or from the group it is counted in.</summary>
    private void CountInGroup(string accountId, int sign)
    {
        var (total, inWindow) = _totals.GetValueOrDefault(accountId);
        if (!inWindow) return;
        if (!_rootOf.TryGetValue(accountId, out var root)) _rootOf[accountId] = root = RootOf(accountId);
        var (sum, members) = _groups.GetValueOrDefault(root);
        sum += sign * (Int128)total;
        members += sign;
        if (members == 0)
        {
            _groups.Remove(root);
            Index.Remove(root);
        }
        else
        {
            _groups[root] = (sum, members);
            Index.Set(root, (long)Int128.Clamp(sum, long.MinValue, long.MaxValue));
        }
    }

    /// <summary>The top of the account's hierarchy. Reports of different accounts can arrive out of order and show a cycle for a moment; the walk stops there.</summary>
    private string RootOf(string accountId)
    {
        var current = accountId;
        var seen = new HashSet<string>(StringComparer.Ordinal) { current };
        for (var depth = 0; depth < MaxDepth; depth++)
        {
            var parent = _entries.TryGetValue(current, out var entry) ? entry.ParentAccountId : "";
            if (parent.Length == 0 || !seen.Add(parent)) return current;
            current = parent;
        }
        return current;
    }

    private List<string> Subtree(string accountId)
    {
        var result = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>([accountId]);
        while (stack.Count > 0)
        {
            var id = stack.Pop();
            if (!seen.Add(id)) continue;
            result.Add(id);
            if (_children.TryGetValue(id, out var kids))
                foreach (var kid in kids) stack.Push(kid);
        }
        return result;
    }
}
