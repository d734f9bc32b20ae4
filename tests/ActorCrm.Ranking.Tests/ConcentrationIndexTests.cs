using System.Collections.Immutable;
using ActorCrm.Ranking;

namespace ActorCrm.Ranking.Tests;

/// <summary>Small hand-computed cases.</summary>
public class ConcentrationIndexTests
{
    private static ConcentrationIndex Build(params (string Id, long Total)[] accounts)
    {
        var index = new ConcentrationIndex();
        foreach ((string id, long total) in accounts)
        {
            index.Set(id, total);
        }

        index.ValidateInvariants();
        return index;
    }

    [Fact]
    public void Empty_index_gives_zeros()
    {
        var index = new ConcentrationIndex();
        ConcentrationFigures f = index.GetFigures();

        Assert.Equal(0, f.AccountCount);
        Assert.Equal(0, f.NonPositiveCount);
        Assert.Equal(Int128.Zero, f.TotalRevenueMinor);
        Assert.Equal(0.0, f.ParetoShare);
        Assert.Equal(0.0, f.Hhi);
        Assert.Equal(0.0, f.Gini);
        Assert.Equal([1, 5, 10, 20, 50, 100], f.TopShares.Select(t => t.K));
        Assert.All(f.TopShares, t => Assert.Equal(0.0, t.Share));
        ImmutableArray<LorenzPoint> lorenz = index.Lorenz();
        Assert.Equal(21, lorenz.Length);
        Assert.Equal(Enumerable.Range(0, 21).Select(j => j / 20.0), lorenz.Select(p => p.PopulationShare));
        Assert.All(lorenz, p => Assert.Equal(0.0, p.RevenueShare));
        Assert.Empty(index.GetTopRows(0, 10));
        Assert.Null(index.GetRank("nobody"));
        Assert.False(index.Remove("nobody"));
        Assert.Empty(index.Snapshot(10).TopRows);
    }

    [Fact]
    public void Single_account()
    {
        ConcentrationIndex index = Build(("acme", 100));
        ConcentrationFigures f = index.GetFigures();

        Assert.Equal(1, f.AccountCount);
        Assert.Equal((Int128)100, f.TotalRevenueMinor);
        Assert.Equal(1.0, f.ParetoShare);
        Assert.All(f.TopShares, t => Assert.Equal(1.0, t.Share));
        Assert.Equal(1.0, f.Hhi);
        Assert.Equal(0.0, f.Gini);
        Assert.Equal(new AccountRank("acme", 1, 0.0, 100, 1.0, 1.0, AbcClass.A), index.GetRank("acme"));
        ImmutableArray<LorenzPoint> lorenz = index.Lorenz();
        Assert.All(lorenz.Take(20), p => Assert.Equal(0.0, p.RevenueShare)); // ⌊j/20⌋ = 0 smallest accounts
        Assert.Equal(new LorenzPoint(1.0, 1.0), lorenz[20]);
    }

    [Fact]
    public void Three_accounts_hand_computed()
    {
        ConcentrationIndex index = Build(("c", 20), ("a", 50), ("b", 30));
        ConcentrationFigures f = index.GetFigures();

        Assert.Equal(0.5, f.ParetoShare); // k = ⌈0.6⌉ = 1
        Assert.Equal(0.5, f.TopShares[0].Share);
        Assert.Equal(1.0, f.TopShares[1].Share);
        Assert.Equal(0.38, f.Hhi); // .25 + .09 + .04, correctly rounded from 3800/10000
        // y = 20, 30, 50: Σ i·y = 230; 2·230/(3·100) − 4/3 = 60/300.
        Assert.Equal(0.2, f.Gini);

        Assert.Equal(
            [
                new RankedRow("a", 1, 50, 0.5, 0.5, AbcClass.A),
                new RankedRow("b", 2, 30, 0.3, 0.8, AbcClass.A), // P = 50 < 80: crosses 80 % and is A
                new RankedRow("c", 3, 20, 0.2, 1.0, AbcClass.B), // P = 80, not < 80, < 95
            ],
            index.GetTopRows(0, 10).ToArray());
        Assert.Equal(new AccountRank("a", 1, 200.0 / 3, 50, 0.5, 0.5, AbcClass.A), index.GetRank("a"));
        Assert.Equal(new AccountRank("b", 2, 100.0 / 3, 30, 0.3, 0.8, AbcClass.A), index.GetRank("b"));
        Assert.Equal(new AccountRank("c", 3, 0.0, 20, 0.2, 1.0, AbcClass.B), index.GetRank("c"));

        // n = 3: ⌊3j/20⌋ smallest = 0 for j ≤ 6, 1 for j ≤ 13, 2 for j ≤ 19, 3 for j = 20.
        double[] expected = [.. Enumerable.Repeat(0.0, 7), .. Enumerable.Repeat(0.2, 7), .. Enumerable.Repeat(0.5, 6), 1.0];
        Assert.Equal(expected, index.Lorenz().Select(p => p.RevenueShare));
        Assert.Equal(new RankedRow("b", 2, 30, 0.3, 0.8, AbcClass.A), Assert.Single(index.GetTopRows(1, 1)));
        Assert.Equal(["b", "c"], index.GetTopRows(1, 5).Select(r => r.AccountId));
        Assert.Empty(index.GetTopRows(3, 5));
    }

    [Fact]
    public void Ties_are_broken_by_ordinal_account_id()
    {
        // Ordinal: "B" (0x42) < "a" (0x61) < "z" < "ä" (0xE4); a culture-aware sort would differ.
        ConcentrationIndex index = Build(("ä", 10), ("z", 10), ("a", 10), ("B", 10));

        Assert.Equal(["B", "a", "z", "ä"], index.GetTopRows(0, 4).Select(r => r.AccountId));
        Assert.Equal(0.0, index.Gini());
        Assert.Equal(0.25, index.Hhi());
        Assert.Equal(4, index.GetRank("ä")!.Value.Rank);
        Assert.All(index.GetTopRows(0, 4), r => Assert.Equal(AbcClass.A, r.AbcClass)); // P = 0, 10, 20, 30 < 32
    }

    [Fact]
    public void Abc_boundaries_are_exact()
    {
        // P exactly 80 % → B; P exactly 95 % → C.
        ConcentrationIndex index = Build(("a", 80), ("b", 15), ("c", 5));
        Assert.Equal([AbcClass.A, AbcClass.B, AbcClass.C], index.GetTopRows(0, 3).Select(r => r.AbcClass));

        // Custom thresholds: A below 50 %, B below 90 %.
        var custom = new ConcentrationIndex(new ConcentrationOptions { Abc = new AbcThresholds(5_000, 9_000) });
        custom.Set("a", 50);
        custom.Set("b", 40);
        custom.Set("c", 10);
        Assert.Equal([AbcClass.A, AbcClass.B, AbcClass.C], custom.GetTopRows(0, 3).Select(r => r.AbcClass));
    }

    [Fact]
    public void Zero_and_negative_totals_are_tracked_but_not_ranked()
    {
        ConcentrationIndex index = Build(("a", 100), ("b", 0), ("c", 50));
        Assert.Equal(2, index.AccountCount);
        Assert.Equal(1, index.NonPositiveCount);
        Assert.Equal(3, index.TrackedCount);
        Assert.Null(index.GetRank("b"));

        index.Set("a", -20); // a refund larger than the window's revenue
        index.ValidateInvariants();
        Assert.Equal(1, index.AccountCount);
        Assert.Equal(2, index.NonPositiveCount);
        Assert.Equal((Int128)50, index.TotalRevenueMinor);
        Assert.True(index.TryGetTotal("a", out long a));
        Assert.Equal(-20, a);
        Assert.Null(index.GetRank("a"));
        Assert.Equal(1, index.GetRank("c")!.Value.Rank);
        Assert.Equal(1.0, index.Hhi());

        index.Set("b", 70); // back into the ranked set
        index.ValidateInvariants();
        Assert.Equal(["b", "c"], index.GetTopRows(0, 5).Select(r => r.AccountId));
        Assert.Equal(1, index.NonPositiveCount);
        Assert.Equal(1, index.GetFigures().NonPositiveCount);
    }

    [Fact]
    public void Remove_forgets_accounts()
    {
        ConcentrationIndex index = Build(("a", 100), ("b", -1), ("c", 50), ("d", 50));
        Assert.True(index.Remove("a"));
        Assert.True(index.Remove("b"));
        Assert.False(index.Remove("b"));
        index.ValidateInvariants();
        Assert.Equal(2, index.AccountCount);
        Assert.Equal(0, index.NonPositiveCount);
        Assert.False(index.TryGetTotal("a", out _));
        Assert.Equal(0.5, index.ParetoShare());
        Assert.Equal(["c", "d"], index.GetTopRows(0, 5).Select(r => r.AccountId));

        index.Set("a", 1); // a freed slot is reused
        index.ValidateInvariants();
        Assert.Equal(3, index.GetRank("a")!.Value.Rank);
    }

    [Fact]
    public void Totals_near_long_MaxValue_are_summed_exactly()
    {
        ConcentrationIndex index = Build(("a", long.MaxValue), ("b", long.MaxValue), ("c", long.MaxValue), ("d", long.MinValue));
        Assert.Equal((Int128)long.MaxValue * 3, index.TotalRevenueMinor);
        Assert.Equal(1.0 / 3, index.Hhi()); // 1/3 correctly rounded; Σx² = 3·(2^63−1)² > 2^128
        Assert.Equal(1.0 / 3, index.TopShare(1));
        Assert.Equal(0.0, index.Gini());
        Assert.Equal(1, index.NonPositiveCount);

        index.Set("c", long.MaxValue - 1);
        index.ValidateInvariants();
        Assert.Equal("c", index.GetTopRows(2, 1)[0].AccountId);
        Near.Close(Oracle.Ratio(long.MaxValue - 1, (Int128)long.MaxValue * 3 - 1), index.GetRank("c")!.Value.Share);
    }

    [Fact]
    public void Pareto_uses_ceiling_of_a_fifth()
    {
        var index = new ConcentrationIndex();
        for (int i = 1; i <= 11; i++)
        {
            index.Set($"acct-{i:00}", i); // 11 accounts: k = ⌈2.2⌉ = 3 → (11+10+9)/66
        }

        Assert.Equal(30.0 / 66, index.ParetoShare());
        index.Remove("acct-01"); // 10 accounts: k = 2 → (11+10)/65
        Assert.Equal(21.0 / 65, index.ParetoShare());
    }

    [Fact]
    public void Version_counts_changes_only()
    {
        var index = new ConcentrationIndex();
        index.Set("a", 5);
        index.Set("a", 5);
        Assert.Equal(1, index.Version);
        index.Set("a", 0);
        index.Remove("a");
        index.Remove("a");
        Assert.Equal(3, index.Version);
    }

    [Fact]
    public void Snapshot_is_independent_of_later_changes()
    {
        ConcentrationIndex index = Build(("a", 50), ("b", 30), ("c", 20));
        ConcentrationSnapshot snapshot = index.Snapshot(2);

        index.Set("c", 1_000);
        index.Remove("a");

        Assert.Equal(3, snapshot.Figures.AccountCount);
        Assert.Equal(0.38, snapshot.Figures.Hhi);
        Assert.Equal(["a", "b"], snapshot.TopRows.Select(r => r.AccountId));
        Assert.Equal(0.2, snapshot.Lorenz[7].RevenueShare);
        Assert.Equal(3, snapshot.Version);
        Assert.Equal(5, index.Version);
    }

    [Fact]
    public void WhatIf_changes_nothing_in_the_original()
    {
        ConcentrationIndex index = Build(("a", 50), ("b", 30), ("c", 20), ("d", -5));
        long version = index.Version;

        ConcentrationSnapshot without = index.WhatIf(
            new WhatIfScenario().Remove("a").Adjust("c", 10).Adjust("d", 15).SetTotal("new", 40), 10);

        // b 30, c 30, d 10 and new 40: Σ = 110.
        Assert.Equal((Int128)110, without.Figures.TotalRevenueMinor);
        Assert.Equal(["new", "b", "c", "d"], without.TopRows.Select(r => r.AccountId));
        Assert.Equal(0, without.Figures.NonPositiveCount);
        Assert.Equal(version, without.Version);

        index.ValidateInvariants();
        Assert.Equal(version, index.Version);
        Assert.Equal(0.38, index.Hhi());
        Assert.Equal(["a", "b", "c"], index.GetTopRows(0, 10).Select(r => r.AccountId));
        Assert.True(index.TryGetTotal("d", out long d) && d == -5);
        Assert.False(index.TryGetTotal("new", out _));
    }

    [Fact]
    public void WhatIf_that_overflows_throws_before_touching_the_index()
    {
        ConcentrationIndex index = Build(("a", long.MaxValue), ("b", 1));
        Assert.Throws<OverflowException>(() => index.WhatIf(new WhatIfScenario().Remove("b").Adjust("a", 1)));
        index.ValidateInvariants();
        Assert.Equal(2, index.AccountCount);
    }

    [Fact]
    public void Custom_top_share_list_and_invalid_options()
    {
        var index = new ConcentrationIndex(new ConcentrationOptions { TopShareKs = [3, 1] });
        index.Set("a", 3);
        index.Set("b", 1);
        Assert.Equal([new TopShare(3, 1.0), new TopShare(1, 0.75)], index.TopShares().ToArray());

        Assert.Throws<ArgumentException>(() => new ConcentrationIndex(new ConcentrationOptions { TopShareKs = [0] }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AbcThresholds(9_000, 8_000));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AbcThresholds(8_000, 10_001));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.GetTopRows(-1, 1));
        Assert.Throws<ArgumentNullException>(() => index.Set(null!, 1));
    }

    [Fact]
    public void Clone_is_independent()
    {
        ConcentrationIndex index = Build(("a", 50), ("b", 30), ("gone", 1));
        index.Remove("gone");
        ConcentrationIndex clone = index.Clone();
        clone.Set("a", 1);
        clone.Set("c", 7);
        clone.ValidateInvariants();
        index.ValidateInvariants();
        Assert.Equal(["a", "b"], index.GetTopRows(0, 5).Select(r => r.AccountId));
        Assert.Equal(["b", "c", "a"], clone.GetTopRows(0, 5).Select(r => r.AccountId));
    }
}
