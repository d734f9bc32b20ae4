using ActorCrm.Api.V1;

namespace ActorCrm.Scale.Benchmarks;

/// <summary>One account the benchmark creates.</summary>
/// <param name="Number">1 … N; the id is <c>s-{Number:D9}</c>.</param>
/// <param name="ParentId">The group HQ above it; empty for a top-level account.</param>
public sealed record PlannedAccount(int Number, string Id, string ParentId, StrategicTier Tier, string DisplayName);

/// <summary>
/// The book the benchmark loads: a pure function of (N, seed), so a later run with the same N and
/// seed (<c>--skip-accounts</c>) knows the same ids and parents.
/// <list type="bullet">
/// <item>⌊N/3⌋ accounts have a parent. They belong to max(1, ⌊N/100⌋) groups; a group is a
/// top-level NATIONAL_HQ account with at least one child (BUREAU_OR_PROVINCE or LOCAL_OR_OTHER).</item>
/// <item>Group sizes are heavy-tailed (Pareto weights, α = 1.16) and capped at
/// <see cref="MaxChildrenPerGroup"/>, the product's sub-account limit.</item>
/// <item>Ids follow creation order: first the top-level accounts (the HQs are s-000000001 …), then
/// the children in a shuffled order, so a big group's children are spread over the whole wave.</item>
/// </list>
/// Only two small arrays are kept; <see cref="this[int]"/> builds an account when it is needed.
/// </summary>
public sealed class AccountPlan
{
    public const int MaxChildrenPerGroup = 5_000;
    public const int AccountsPerGroup = 100;
    private const double GroupSizeAlpha = 1.16;

    private readonly int[] _parent;           // by number; 0 = top-level
    private readonly StrategicTier[] _tier;   // by number

    private AccountPlan(int count, int topLevelCount, int groupCount, int largestGroup, int[] parent, StrategicTier[] tier)
    {
        Count = count;
        TopLevelCount = topLevelCount;
        GroupCount = groupCount;
        LargestGroup = largestGroup;
        _parent = parent;
        _tier = tier;
    }

    /// <summary>N: every account, numbered 1 … N.</summary>
    public int Count { get; }

    /// <summary>Accounts 1 … TopLevelCount have no parent; they are created before any child.</summary>
    public int TopLevelCount { get; }

    public int ChildCount => Count - TopLevelCount;

    /// <summary>Groups (HQs with children); the HQs are accounts 1 … GroupCount.</summary>
    public int GroupCount { get; }

    /// <summary>Children of the largest group.</summary>
    public int LargestGroup { get; }

    public static string AccountId(int number) => $"s-{number:D9}";

    /// <summary>Account <paramref name="number"/> (1 … N).</summary>
    public PlannedAccount this[int number]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(number, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(number, Count);
            int parent = _parent[number];
            string name = number <= GroupCount ? $"测试集团 {number}" : $"测试客户 {number}";
            return new PlannedAccount(number, AccountId(number), parent == 0 ? "" : AccountId(parent), _tier[number], name);
        }
    }

    public static AccountPlan Create(int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var random = new Random(seed);
        int childCount = count / 3;
        int groupCount = childCount == 0 ? 0 : Math.Max(1, count / AccountsPerGroup);
        int topLevelCount = count - childCount;
        int[] sizes = GroupSizes(childCount, groupCount, random);

        var parent = new int[count + 1];
        var tier = new StrategicTier[count + 1];
        for (int number = 1; number <= topLevelCount; number++)
        {
            tier[number] = number <= groupCount ? StrategicTier.NationalHq
                : random.NextDouble() < 0.1 ? StrategicTier.BureauOrProvince : StrategicTier.LocalOrOther;
        }

        // The HQ of group g is account g + 1; repeat it once per child, then shuffle the children's order.
        int[] parents = sizes.SelectMany((size, g) => Enumerable.Repeat(g + 1, size)).ToArray();
        random.Shuffle(parents);
        for (int i = 0; i < parents.Length; i++)
        {
            int number = topLevelCount + 1 + i;
            parent[number] = parents[i];
            tier[number] = random.NextDouble() < 0.3 ? StrategicTier.BureauOrProvince : StrategicTier.LocalOrOther;
        }

        return new AccountPlan(count, topLevelCount, groupCount, sizes.DefaultIfEmpty(0).Max(), parent, tier);
    }

    /// <summary>Every group gets one child, the rest are shared by Pareto weight, each group capped.</summary>
    private static int[] GroupSizes(int childCount, int groupCount, Random random)
    {
        var weights = new double[groupCount];
        for (int g = 0; g < groupCount; g++)
        {
            weights[g] = Distributions.Pareto(random, GroupSizeAlpha);
        }

        double sum = weights.Sum();
        int spare = childCount - groupCount;
        var sizes = new int[groupCount];
        for (int g = 0; g < groupCount; g++)
        {
            sizes[g] = 1 + (int)Math.Min(MaxChildrenPerGroup - 1, Math.Floor(spare * weights[g] / sum));
        }

        // Rounding down and the cap leave children over: hand them out one at a time, heaviest groups first.
        // (There is always room: at least N/200 groups of 5,000 for N/3 children.)
        int[] heaviestFirst = Enumerable.Range(0, groupCount).OrderByDescending(g => weights[g]).ToArray();
        int left = childCount - sizes.Sum();
        while (left > 0)
        {
            foreach (int g in heaviestFirst)
            {
                if (left == 0)
                {
                    break;
                }

                if (sizes[g] < MaxChildrenPerGroup)
                {
                    sizes[g]++;
                    left--;
                }
            }
        }

        return sizes;
    }
}
