using System.Collections.Immutable;
using System.Numerics;

namespace ActorCrm.Ranking;

/// <summary>
/// Live revenue-concentration index over every tracked account's current window total.
/// Every figure (ranks, top-k shares, Pareto, HHI, Gini, Lorenz, ABC classes) is maintained
/// incrementally: an update costs O(log n) and no query sorts anything.
/// </summary>
/// <remarks>
/// <para><b>Order.</b> Accounts with a positive total are ranked by (revenue descending, account id
/// ascending, ordinal). Rank 1 is the largest. Accounts with total ≤ 0 stay known (their total is kept,
/// <see cref="NonPositiveCount"/> counts them) but are not in the ranked set.</para>
/// <para><b>Why a treap.</b> All figures reduce to three questions: "how many accounts rank above X",
/// "what is the revenue of the top k" (prefix sums by rank) and "what is Σ rank·revenue" (Gini).
/// An order-statistic search tree answers the first two in O(log n) when every node stores its
/// subtree's count and revenue sum. A treap (binary search tree on the key, max-heap on a random
/// priority) is the shortest balanced tree to write correctly: expected depth O(log n) whatever the
/// order of updates, because priorities come from a private random generator that ids and amounts
/// cannot influence.</para>
/// <para><b>Why arrays.</b> Nodes are 48-byte structs in one pooled array addressed by int (slot 0 is
/// the empty-subtree sentinel with count 0 and sum 0, so the aggregate code has no null checks). At 1M
/// accounts this is ~48 MB in one object instead of 1M small objects for the GC to trace, and an
/// update of an existing account allocates nothing.</para>
/// <para><b>Why aggregates are patched, not recomputed, and why parent links.</b> At 1M accounts an
/// update is bound by cache misses, not arithmetic. The classic "recompute a node from both children"
/// touches the off-path child at every level; here every operation adjusts Count and Sum from the
/// nodes it walks anyway (removing x: every ancestor loses 1 and x; a split node loses the piece split
/// off; a merge node gains the other subtree). Parent links let an account's rank be read and its
/// node be removed by walking up from its slot, with no key comparisons (comparing equal totals
/// means reading both id strings: more misses).</para>
/// <para><b>Gini without sorting.</b> W = Σ rank·x (rank 1 = largest) is one running Int128: inserting x
/// at rank r, with B = revenue ranked below it, adds r·x + B (everything below moves down one rank);
/// removing subtracts the same. Rank and B come from one O(log n) walk up from the slot. With y ascending
/// (i = n + 1 − rank): Σ i·yᵢ = (n+1)·Σx − W, so the Gini numerator 2·Σ i·yᵢ − (n+1)·Σy equals
/// (n+1)·Σx − 2W: O(1).</para>
/// <para><b>Exactness.</b> Totals are longs; sums and W are Int128 (n &lt; 2^31, |x| &lt; 2^63: Σx &lt; 2^94,
/// W &lt; 2^125); Σx² is a 192-bit running sum. Doubles are produced once, at the end, by
/// <see cref="ExactRatio"/>.</para>
/// <para><b>Threading.</b> Not thread-safe (a grain owns it). Hand readers a <see cref="Snapshot"/>.</para>
/// </remarks>
public sealed class ConcentrationIndex
{
    private const int Nil = 0;

    private readonly ConcentrationOptions _options;
    private readonly Dictionary<string, int> _slotById; // every tracked account, ranked or not
    private readonly Stack<int> _freeSlots = new();
    private Node[] _nodes;
    private string?[] _ids;
    private int _usedSlots = 1; // slot 0 is the sentinel
    private int _root = Nil;
    private int _nonPositiveCount;
    private SquareSum _squares;
    private Int128 _rankWeightedSum; // W = Σ rank·x over the ranked set
    private ulong _rngState = 0x9E3779B97F4A7C15UL; // fixed seed: same updates give the same tree

    public ConcentrationIndex(ConcentrationOptions? options = null)
    {
        _options = options ?? new ConcentrationOptions();
        if (_options.TopShareKs.IsDefault || _options.TopShareKs.Any(k => k < 1))
        {
            throw new ArgumentException("TopShareKs must be set and every k must be >= 1.", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(_options.InitialCapacity, nameof(options));
        int capacity = Math.Max(_options.InitialCapacity, 1) + 1;
        _nodes = new Node[capacity];
        _ids = new string?[capacity];
        _slotById = new Dictionary<string, int>(_options.InitialCapacity, StringComparer.Ordinal);
    }

    private ConcentrationIndex(ConcentrationIndex source)
    {
        _options = source._options;
        _slotById = new Dictionary<string, int>(source._slotById, StringComparer.Ordinal);
        _freeSlots = new Stack<int>(source._freeSlots.Reverse());
        _nodes = (Node[])source._nodes.Clone();
        _ids = (string?[])source._ids.Clone();
        _usedSlots = source._usedSlots;
        _root = source._root;
        _nonPositiveCount = source._nonPositiveCount;
        _squares = source._squares;
        _rankWeightedSum = source._rankWeightedSum;
        _rngState = source._rngState;
        Version = source.Version;
    }

    public ConcentrationOptions Options => _options;

    /// <summary>Incremented by every change (Set that changes a total, Remove of a tracked account).</summary>
    public long Version { get; private set; }

    /// <summary>n: accounts with a positive total (the ranked set).</summary>
    public int AccountCount => _nodes[_root].Count;

    /// <summary>Tracked accounts whose total is ≤ 0.</summary>
    public int NonPositiveCount => _nonPositiveCount;

    /// <summary>All tracked accounts: <see cref="AccountCount"/> + <see cref="NonPositiveCount"/>.</summary>
    public int TrackedCount => _slotById.Count;

    /// <summary>Σx over the ranked set, exact.</summary>
    public Int128 TotalRevenueMinor => _nodes[_root].Sum;

    // ------------------------------------------------------------------ updates

    /// <summary>
    /// Inserts or updates an account's total. A total ≤ 0 keeps the account tracked but moves it out
    /// of the ranked set. O(log n); allocates nothing for a known account.
    /// </summary>
    public void Set(string accountId, long totalMinor)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        if (_slotById.TryGetValue(accountId, out int slot))
        {
            long old = _nodes[slot].Revenue;
            if (old == totalMinor)
            {
                return;
            }

            if (old > 0)
            {
                Unlink(slot);
            }
            else
            {
                _nonPositiveCount--;
            }
        }
        else
        {
            slot = AllocateSlot(accountId);
            _slotById.Add(accountId, slot);
        }

        _nodes[slot].Revenue = totalMinor;
        if (totalMinor > 0)
        {
            Link(slot);
        }
        else
        {
            _nonPositiveCount++;
        }

        Version++;
    }

    /// <summary>Forgets an account entirely. O(log n). Returns false if it was not tracked.</summary>
    public bool Remove(string accountId)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        if (!_slotById.Remove(accountId, out int slot))
        {
            return false;
        }

        if (_nodes[slot].Revenue > 0)
        {
            Unlink(slot);
        }
        else
        {
            _nonPositiveCount--;
        }

        _ids[slot] = null;
        _nodes[slot] = default;
        _freeSlots.Push(slot);
        Version++;
        return true;
    }

    /// <summary>The account's current total, ranked or not.</summary>
    public bool TryGetTotal(string accountId, out long totalMinor)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        if (_slotById.TryGetValue(accountId, out int slot))
        {
            totalMinor = _nodes[slot].Revenue;
            return true;
        }

        totalMinor = 0;
        return false;
    }

    /// <summary>Every tracked account and its total, in no particular order (for persistence).</summary>
    public IEnumerable<KeyValuePair<string, long>> EnumerateTotals()
    {
        foreach ((string id, int slot) in _slotById)
        {
            yield return new KeyValuePair<string, long>(id, _nodes[slot].Revenue);
        }
    }

    /// <summary>An independent deep copy. O(n).</summary>
    public ConcentrationIndex Clone() => new(this);

    // ------------------------------------------------------------------ headline figures

    /// <summary>Exact revenue of the top min(k, n) accounts. O(log n).</summary>
    public Int128 TopRevenue(int k)
    {
        Int128 sum = 0;
        int t = _root;
        while (t != Nil && k > 0)
        {
            ref Node node = ref _nodes[t];
            ref Node left = ref _nodes[node.Left];
            if (k <= left.Count)
            {
                t = node.Left;
            }
            else
            {
                sum += left.Sum + node.Revenue;
                k -= left.Count + 1;
                t = node.Right;
            }
        }

        return sum;
    }

    /// <summary>Share of the top min(k, n) accounts; 0 when n = 0. O(log n).</summary>
    public double TopShare(int k) => ShareOf(TopRevenue(k));

    /// <summary>Share of the top ⌈0.2·n⌉ accounts. O(log n).</summary>
    public double ParetoShare() => TopShare(ParetoCount(AccountCount));

    /// <summary>One entry per configured k. O(|ks|·log n).</summary>
    public ImmutableArray<TopShare> TopShares()
    {
        var builder = ImmutableArray.CreateBuilder<TopShare>(_options.TopShareKs.Length);
        foreach (int k in _options.TopShareKs)
        {
            builder.Add(new TopShare(k, TopShare(k)));
        }

        return builder.MoveToImmutable();
    }

    /// <summary>Herfindahl–Hirschman index Σx² / (Σx)²; 0 when n = 0. O(1).</summary>
    public double Hhi()
    {
        Int128 total = TotalRevenueMinor;
        if (total == Int128.Zero)
        {
            return 0.0;
        }

        if (_squares.TryGetUInt128(out UInt128 squares) && total <= long.MaxValue)
        {
            UInt128 t = (UInt128)total;
            return ExactRatio.ToDouble(squares, t * t); // no allocation
        }

        BigInteger big = total;
        return ExactRatio.ToDouble(_squares.ToBigInteger(), big * big);
    }

    /// <summary>Gini coefficient (2·Σ i·yᵢ − (n+1)·Σy) / (n·Σy), y ascending; 0 when n = 0. O(1).</summary>
    public double Gini()
    {
        int n = AccountCount;
        if (n == 0)
        {
            return 0.0;
        }

        Int128 total = TotalRevenueMinor;
        Int128 numerator = ((Int128)n + 1) * total - 2 * _rankWeightedSum;
        return ExactRatio.ToDouble(numerator, n * total);
    }

    /// <summary>21 points (j/20, share of the ⌊j·n/20⌋ smallest accounts), j = 0…20. O(log n).</summary>
    public ImmutableArray<LorenzPoint> Lorenz()
    {
        const int Steps = 20;
        int n = AccountCount;
        Int128 total = TotalRevenueMinor;
        var builder = ImmutableArray.CreateBuilder<LorenzPoint>(Steps + 1);
        for (int j = 0; j <= Steps; j++)
        {
            int smallest = (int)((long)j * n / Steps);
            Int128 held = total - TopRevenue(n - smallest);
            builder.Add(new LorenzPoint(j / (double)Steps, ShareOf(held)));
        }

        return builder.MoveToImmutable();
    }

    /// <summary>How many ranked accounts are in class A, B and C. O(log n).</summary>
    public AbcCounts GetAbcCounts()
    {
        int a = CountWithRevenueAboveUnder(_options.Abc.ABasisPoints);
        int ab = CountWithRevenueAboveUnder(_options.Abc.BBasisPoints);
        return new AbcCounts(a, ab - a, AccountCount - ab);
    }

    /// <summary>All headline figures. O((|ks| + 3)·log n).</summary>
    public ConcentrationFigures GetFigures() => new(
        AccountCount,
        NonPositiveCount,
        TotalRevenueMinor,
        ParetoShare(),
        TopShares(),
        Hhi(),
        Gini(),
        GetAbcCounts());

    // ------------------------------------------------------------------ per-account queries

    /// <summary>Rank, percentile, share, cumulative share and ABC class of a ranked account, or null
    /// if the account is unknown or its total is ≤ 0. O(log n).</summary>
    public AccountRank? GetRank(string accountId)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        if (!_slotById.TryGetValue(accountId, out int slot) || _nodes[slot].Revenue <= 0)
        {
            return null;
        }

        (int rank, Int128 above) = Locate(slot);
        int n = AccountCount;
        long revenue = _nodes[slot].Revenue;
        return new AccountRank(
            accountId,
            rank,
            ExactRatio.ToDouble(100 * ((Int128)n - rank), n),
            revenue,
            ShareOf(revenue),
            ShareOf(above + revenue),
            _options.Abc.Classify(above, TotalRevenueMinor));
    }

    /// <summary>Rows ranked offset+1 … offset+count (fewer at the end), in rank order. O(log n + count).</summary>
    public ImmutableArray<RankedRow> GetTopRows(int offset, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        int n = AccountCount;
        if (offset >= n || count == 0)
        {
            return [];
        }

        int take = Math.Min(count, n - offset);
        var rows = ImmutableArray.CreateBuilder<RankedRow>(take);
        Int128 total = TotalRevenueMinor;
        Int128 above = TopRevenue(offset);

        // In-order walk with an explicit stack: first the path to rank offset+1 (nodes where we went
        // left are exactly its pending successors), then the usual "pop, push leftmost of right".
        var pending = new Stack<int>();
        int t = _root;
        int index = offset; // 0-based position wanted within the subtree t
        while (t != Nil)
        {
            int leftCount = _nodes[_nodes[t].Left].Count;
            if (index < leftCount)
            {
                pending.Push(t);
                t = _nodes[t].Left;
            }
            else if (index == leftCount)
            {
                pending.Push(t);
                break;
            }
            else
            {
                index -= leftCount + 1;
                t = _nodes[t].Right;
            }
        }

        int rank = offset;
        while (rows.Count < take)
        {
            int node = pending.Pop();
            long revenue = _nodes[node].Revenue;
            Int128 cumulative = above + revenue;
            rows.Add(new RankedRow(
                _ids[node]!,
                ++rank,
                revenue,
                ShareOf(revenue),
                ShareOf(cumulative),
                _options.Abc.Classify(above, total)));
            above = cumulative;
            for (int c = _nodes[node].Right; c != Nil; c = _nodes[c].Left)
            {
                pending.Push(c);
            }
        }

        return rows.MoveToImmutable();
    }

    /// <summary>An immutable copy of the figures, the top rows and the Lorenz points.
    /// O((|ks| + 21)·log n + topRowCount).</summary>
    public ConcentrationSnapshot Snapshot(int topRowCount) =>
        new(Version, GetFigures(), GetTopRows(0, topRowCount), Lorenz());

    /// <summary>
    /// Figures as they would be after the scenario's removals and adjustments; the index is left
    /// exactly as it was (same totals, ranks, figures and <see cref="Version"/>).
    /// </summary>
    /// <remarks>
    /// Applies the m changes to this index, takes a snapshot, then restores the m original totals
    /// (in a finally block). Cost O(m·log n + snapshot) and no copy of the tree, instead of the O(n)
    /// of <see cref="Clone"/> (tens of milliseconds and ~100 MB at 1M accounts). The scenario is
    /// validated (e.g. an adjustment that overflows a long throws <see cref="OverflowException"/>)
    /// before anything is touched. Not for use while another thread reads the index (nothing is).
    /// </remarks>
    public ConcentrationSnapshot WhatIf(WhatIfScenario scenario, int topRowCount = 0)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentOutOfRangeException.ThrowIfNegative(topRowCount);
        IReadOnlyList<KeyValuePair<string, long?>> targets =
            scenario.Resolve(id => TryGetTotal(id, out long total) ? total : null);

        var originals = new List<KeyValuePair<string, long?>>(targets.Count);
        foreach ((string id, _) in targets)
        {
            originals.Add(new(id, TryGetTotal(id, out long total) ? total : null));
        }

        long version = Version;
        try
        {
            foreach ((string id, long? target) in targets)
            {
                SetOrRemove(id, target);
            }

            return Snapshot(topRowCount) with { Version = version };
        }
        finally
        {
            foreach ((string id, long? original) in originals)
            {
                SetOrRemove(id, original);
            }

            Version = version;
        }
    }

    private void SetOrRemove(string accountId, long? total)
    {
        if (total is long value)
        {
            Set(accountId, value);
        }
        else
        {
            Remove(accountId);
        }
    }

    // ------------------------------------------------------------------ helpers

    internal static int ParetoCount(int n) => (int)(((long)n + 4) / 5); // ⌈0.2·n⌉ = ⌈n/5⌉, exact

    private double ShareOf(Int128 part)
    {
        Int128 total = TotalRevenueMinor;
        return total == Int128.Zero ? 0.0 : ExactRatio.ToDouble(part, total);
    }

    /// <summary>Number of ranked accounts whose P (revenue ranked above them) satisfies 10000·P &lt; bp·Σx.</summary>
    private int CountWithRevenueAboveUnder(int basisPoints)
    {
        Int128 limit = TotalRevenueMinor * basisPoints;
        if (limit <= 0)
        {
            return 0; // n = 0, or a 0 % threshold that P = 0 does not pass
        }

        // P of rank r is the revenue of the r − 1 largest and grows with r. Find the longest run of
        // largest accounts m with 10000·(their revenue) < limit; then ranks 1 … m + 1 qualify.
        int m = 0;
        Int128 prefix = 0;
        int t = _root;
        while (t != Nil)
        {
            ref Node node = ref _nodes[t];
            ref Node left = ref _nodes[node.Left];
            Int128 through = prefix + left.Sum + node.Revenue;
            if (through * AbcThresholds.BasisPointsPerUnit < limit)
            {
                prefix = through;
                m += left.Count + 1;
                t = node.Right;
            }
            else
            {
                t = node.Left;
            }
        }

        return Math.Min(m + 1, AccountCount);
    }

    /// <summary>1-based rank of a linked slot and the exact revenue of the accounts ranked above it.
    /// Walks up from the slot: O(depth), no key comparisons.</summary>
    private (int Rank, Int128 Above) Locate(int slot)
    {
        ref Node own = ref _nodes[slot];
        ref Node ownLeft = ref _nodes[own.Left];
        int rank = ownLeft.Count + 1;
        Int128 above = ownLeft.Sum;
        int child = slot;
        for (int p = own.Parent; p != Nil; p = _nodes[p].Parent)
        {
            ref Node parent = ref _nodes[p];
            if (parent.Right == child)
            {
                // The parent and its left subtree rank above: the parent's totals minus the child we
                // came from (already in cache), instead of reading the left child.
                ref Node from = ref _nodes[child];
                rank += parent.Count - from.Count;
                above += parent.Sum - from.Sum;
            }

            child = p;
        }

        return (rank, above);
    }

    // ------------------------------------------------------------------ the treap

    /// <summary>One account. While linked (Revenue &gt; 0) it is also the root of a subtree.</summary>
    private struct Node
    {
        public int Left;
        public int Right;
        public int Parent;      // Nil for the root
        public int Count;       // accounts in this subtree
        public uint Priority;   // heap order: a parent's priority is >= its children's
        public long Revenue;    // this account's total
        public Int128 Sum;      // Σ revenue over the subtree
    }

    /// <summary>Key order: revenue descending, then account id ascending (ordinal).</summary>
    private bool Precedes(int a, int b)
    {
        long ra = _nodes[a].Revenue;
        long rb = _nodes[b].Revenue;
        return ra != rb ? ra > rb : string.CompareOrdinal(_ids[a], _ids[b]) < 0;
    }

    private void Link(int slot)
    {
        ref Node node = ref _nodes[slot];
        long x = node.Revenue;
        node.Left = Nil;
        node.Right = Nil;
        node.Count = 1;
        node.Sum = x;
        _root = Insert(_root, slot);
        _nodes[_root].Parent = Nil;
        (int rank, Int128 above) = Locate(slot);
        _rankWeightedSum += (Int128)rank * x + (TotalRevenueMinor - above - x); // those below move down one rank
        _squares.Add(x);
    }

    private void Unlink(int slot)
    {
        long x = _nodes[slot].Revenue;
        (int rank, Int128 above) = Locate(slot);
        _rankWeightedSum -= (Int128)rank * x + (TotalRevenueMinor - above - x); // those below move up one rank
        Delete(slot);
        _squares.Subtract(x);
    }

    private void SetLeft(int t, int child)
    {
        _nodes[t].Left = child;
        _nodes[child].Parent = t; // harmless on the sentinel: nothing reads Nil's parent
    }

    private void SetRight(int t, int child)
    {
        _nodes[t].Right = child;
        _nodes[child].Parent = t;
    }

    /// <summary>Inserts the single node <paramref name="slot"/> into subtree t; returns the new subtree root.</summary>
    private int Insert(int t, int slot)
    {
        if (t == Nil)
        {
            return slot;
        }

        ref Node node = ref _nodes[t];
        ref Node added = ref _nodes[slot];
        if (added.Priority > node.Priority)
        {
            // The new node takes t's place: its subtree is t's subtree plus itself, split around its key.
            added.Count = node.Count + 1;
            added.Sum = node.Sum + added.Revenue;
            Split(t, slot, out int left, out int right);
            SetLeft(slot, left);
            SetRight(slot, right);
            return slot;
        }

        node.Count++;
        node.Sum += added.Revenue;
        if (Precedes(slot, t))
        {
            SetLeft(t, Insert(node.Left, slot));
        }
        else
        {
            SetRight(t, Insert(node.Right, slot));
        }

        return t;
    }

    /// <summary>Splits subtree t into the nodes that precede <paramref name="key"/> and the rest.</summary>
    private void Split(int t, int key, out int left, out int right)
    {
        if (t == Nil)
        {
            left = right = Nil;
            return;
        }

        ref Node node = ref _nodes[t];
        if (Precedes(t, key))
        {
            // t stays on the left with its left subtree; what follows key in its right subtree leaves it.
            Split(node.Right, key, out int rest, out right);
            SetRight(t, rest);
            node.Count -= _nodes[right].Count;
            node.Sum -= _nodes[right].Sum;
            left = t;
        }
        else
        {
            Split(node.Left, key, out left, out int rest);
            SetLeft(t, rest);
            node.Count -= _nodes[left].Count;
            node.Sum -= _nodes[left].Sum;
            right = t;
        }
    }

    /// <summary>Unlinks node <paramref name="slot"/>: its merged children take its place, and every
    /// ancestor loses one account and its revenue. Walks up from the slot: no key comparisons.</summary>
    private void Delete(int slot)
    {
        ref Node node = ref _nodes[slot];
        int parent = node.Parent;
        int replacement = Merge(node.Left, node.Right);
        if (parent == Nil)
        {
            _root = replacement;
            _nodes[replacement].Parent = Nil;
        }
        else if (_nodes[parent].Left == slot)
        {
            SetLeft(parent, replacement);
        }
        else
        {
            SetRight(parent, replacement);
        }

        for (int a = parent; a != Nil; a = _nodes[a].Parent)
        {
            _nodes[a].Count--;
            _nodes[a].Sum -= node.Revenue;
        }
    }

    /// <summary>Joins two subtrees where every node of <paramref name="a"/> precedes every node of <paramref name="b"/>.</summary>
    private int Merge(int a, int b)
    {
        if (a == Nil)
        {
            return b;
        }

        if (b == Nil)
        {
            return a;
        }

        ref Node first = ref _nodes[a];
        ref Node second = ref _nodes[b];
        if (first.Priority > second.Priority)
        {
            first.Count += second.Count; // a stays on top and absorbs all of b
            first.Sum += second.Sum;
            SetRight(a, Merge(first.Right, b));
            return a;
        }

        second.Count += first.Count;
        second.Sum += first.Sum;
        SetLeft(b, Merge(a, second.Left));
        return b;
    }

    private int AllocateSlot(string accountId)
    {
        if (!_freeSlots.TryPop(out int slot))
        {
            slot = _usedSlots++;
            if (slot == _nodes.Length)
            {
                int capacity = (int)Math.Min((long)_nodes.Length * 2, Array.MaxLength);
                if (capacity <= slot)
                {
                    throw new InvalidOperationException("ConcentrationIndex is full.");
                }

                Array.Resize(ref _nodes, capacity);
                Array.Resize(ref _ids, capacity);
            }
        }

        _ids[slot] = accountId;
        _nodes[slot] = new Node { Priority = NextPriority() };
        return slot;
    }

    private uint NextPriority()
    {
        // xorshift64*: fast, good enough for treap priorities, independent of the data.
        ulong x = _rngState;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        _rngState = x;
        return (uint)((x * 0x2545F4914F6CDD1DUL) >> 32);
    }

    // ------------------------------------------------------------------ self-check (tests)

    /// <summary>Checks every structural invariant by brute force; throws on the first violation. O(n).</summary>
    internal void ValidateInvariants()
    {
        int linked = 0;
        int nonPositive = 0;
        SquareSum squares = default;
        foreach ((string id, int slot) in _slotById)
        {
            Check(_ids[slot] == id, "slot id mismatch");
            if (_nodes[slot].Revenue > 0)
            {
                linked++;
                squares.Add(_nodes[slot].Revenue);
            }
            else
            {
                nonPositive++;
            }
        }

        Check(_nodes[Nil].Count == 0 && _nodes[Nil].Sum == 0, "sentinel modified");
        Check(nonPositive == _nonPositiveCount, "non-positive count");
        Check(squares.ToBigInteger() == _squares.ToBigInteger(), "sum of squares");
        Check(_slotById.Count + _freeSlots.Count == _usedSlots - 1, "slot accounting");
        Check(_root == Nil || _nodes[_root].Parent == Nil, "root's parent");
        int previous = Nil;
        int visited = ValidateSubtree(_root, uint.MaxValue, ref previous);
        Check(visited == linked && visited == AccountCount, "linked count");

        Int128 rankWeighted = 0;
        ImmutableArray<RankedRow> rows = GetTopRows(0, AccountCount);
        foreach (RankedRow row in rows)
        {
            rankWeighted += (Int128)row.Rank * row.RevenueMinor;
        }

        Check(rankWeighted == _rankWeightedSum, "rank-weighted sum");
    }

    private int ValidateSubtree(int t, uint maxPriority, ref int previous)
    {
        if (t == Nil)
        {
            return 0;
        }

        Node node = _nodes[t];
        Check(node.Priority <= maxPriority, "heap order");
        Check(node.Left == Nil || _nodes[node.Left].Parent == t, "left child's parent");
        Check(node.Right == Nil || _nodes[node.Right].Parent == t, "right child's parent");
        Check(node.Revenue > 0, "non-positive account linked");
        Check(_slotById.TryGetValue(_ids[t]!, out int slot) && slot == t, "linked slot not tracked");
        int leftCount = ValidateSubtree(node.Left, node.Priority, ref previous);
        Check(previous == Nil || Precedes(previous, t), "key order");
        previous = t;
        int rightCount = ValidateSubtree(node.Right, node.Priority, ref previous);
        Node left = _nodes[node.Left];
        Node right = _nodes[node.Right];
        Check(node.Count == leftCount + 1 + rightCount, "count");
        Check(node.Sum == left.Sum + node.Revenue + right.Sum, "sum");
        return node.Count;
    }

    private static void Check(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException("ConcentrationIndex invariant broken: " + what);
        }
    }

    /// <summary>Σx² as a 192-bit unsigned integer (high·2^128 + low): x² &lt; 2^126, n &lt; 2^31.</summary>
    private struct SquareSum
    {
        private UInt128 _low;
        private ulong _high;

        public void Add(long x)
        {
            UInt128 square = Square(x);
            _low += square;
            if (_low < square)
            {
                _high++; // carry
            }
        }

        public void Subtract(long x)
        {
            UInt128 square = Square(x);
            if (_low < square)
            {
                _high--; // borrow
            }

            _low -= square;
        }

        public readonly bool TryGetUInt128(out UInt128 value)
        {
            value = _low;
            return _high == 0;
        }

        public readonly BigInteger ToBigInteger() => ((BigInteger)_high << 128) + (BigInteger)_low;

        private static UInt128 Square(long x)
        {
            ulong magnitude = (ulong)x; // x > 0 for every linked account
            return (UInt128)magnitude * magnitude;
        }
    }
}
