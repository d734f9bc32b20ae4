using ActorCrm.Domain.Revenue;
using ActorCrm.Ranking;

namespace ActorCrm.UnitTests.Revenue;

public class RevenueBookTests
{
    private static readonly RevenueWindowRules Rules = new(30, TimeZoneInfo.Utc);
    private static readonly DateOnly Today = new(2026, 11, 27);

    private static RevenueBook Book(bool group = false) => new(group, Rules, new ConcentrationOptions(), Today);

    [Fact]
    public void Older_reports_never_overwrite_newer_ones()
    {
        var book = Book();
        Assert.True(book.ApplyRevenue("a", 2, [new DayAmount(Today, 200)]));
        Assert.False(book.ApplyRevenue("a", 1, [new DayAmount(Today, 100)]));
        Assert.False(book.ApplyRevenue("a", 2, [new DayAmount(Today, 999)]));
        Assert.Equal(200, book.TotalOf("a"));
        Assert.Equal((Int128)200, book.Index.TotalRevenueMinor);
    }

    [Fact]
    public void A_ranked_row_shows_the_newest_listing_reported()
    {
        var book = Book();
        book.ApplyHierarchy("a", "", 2, false, "恒鼎建设", ActorCrm.Domain.Model.StrategicTier.NationalHq);
        book.ApplyHierarchy("a", "", 1, false, "旧名称", ActorCrm.Domain.Model.StrategicTier.LocalOrOther); // older: ignored
        Assert.Equal(("恒鼎建设", ActorCrm.Domain.Model.StrategicTier.NationalHq), book.ListingOf("a"));
        Assert.Equal(("", ActorCrm.Domain.Model.StrategicTier.Unspecified), book.ListingOf("unknown"));
    }

    [Fact]
    public void Revenue_ages_out_at_midnight_without_any_report()
    {
        var book = Book();
        book.ApplyRevenue("a", 1, [new DayAmount(Today.AddDays(-29), 100), new DayAmount(Today, 50)]);
        book.ApplyRevenue("b", 1, [new DayAmount(Today.AddDays(1), 70)]); // dated tomorrow
        Assert.Equal(150, book.TotalOf("a"));
        Assert.Equal(1, book.Index.AccountCount);

        book.AdvanceTo(Today.AddDays(1));
        Assert.Equal(50, book.TotalOf("a"));
        Assert.Equal(70, book.TotalOf("b"));
        Assert.Equal(2, book.Index.AccountCount);

        book.AdvanceTo(Today.AddDays(40));
        Assert.Equal(0, book.Index.AccountCount);
        Assert.Equal(0, book.Index.NonPositiveCount); // nothing left in the window: not tracked at all
    }

    [Fact]
    public void Refunds_make_an_account_non_positive_but_still_tracked()
    {
        var book = Book();
        book.ApplyRevenue("a", 1, [new DayAmount(Today, 100), new DayAmount(Today.AddDays(-1), -300)]);
        book.ApplyRevenue("b", 1, [new DayAmount(Today, 0)]); // events that net to zero
        Assert.Equal(0, book.Index.AccountCount);
        Assert.Equal(2, book.Index.NonPositiveCount);
    }

    [Fact]
    public void Group_scope_rolls_revenue_up_to_the_top_and_follows_moves()
    {
        var book = Book(group: true);
        book.ApplyHierarchy("hq1", "", 1, false);
        book.ApplyHierarchy("hq2", "", 1, false);
        book.ApplyHierarchy("bureau", "hq1", 1, false);
        book.ApplyHierarchy("unit", "bureau", 1, false);
        book.ApplyRevenue("unit", 1, [new DayAmount(Today, 40)]);
        book.ApplyRevenue("bureau", 1, [new DayAmount(Today, 60)]);
        book.ApplyRevenue("hq2", 1, [new DayAmount(Today, 10)]);

        Assert.Equal("hq1", book.RankedIdOf("unit"));
        Assert.True(book.Index.TryGetTotal("hq1", out var hq1));
        Assert.Equal(100, hq1);

        book.ApplyHierarchy("bureau", "hq2", 2, false); // the bureau and its unit move to hq2
        Assert.False(book.Index.TryGetTotal("hq1", out _));
        Assert.True(book.Index.TryGetTotal("hq2", out var hq2));
        Assert.Equal(110, hq2);
        Assert.Equal(1, book.Index.AccountCount);
    }

    [Fact]
    public void Group_scope_survives_reports_arriving_out_of_order()
    {
        // The unit reports before its parent is known; the parent's link arrives later.
        var book = Book(group: true);
        book.ApplyHierarchy("unit", "bureau", 1, false);
        book.ApplyRevenue("unit", 1, [new DayAmount(Today, 40)]);
        Assert.Equal("bureau", book.RankedIdOf("unit"));
        book.ApplyHierarchy("bureau", "hq", 1, false);
        Assert.Equal("hq", book.RankedIdOf("unit"));
        Assert.True(book.Index.TryGetTotal("hq", out var total));
        Assert.Equal(40, total);
        Assert.False(book.Index.TryGetTotal("bureau", out _));
    }

    [Fact]
    public void A_restored_book_equals_the_one_it_was_saved_from()
    {
        var book = Book(group: true);
        var random = new Random(3);
        for (var i = 0; i < 200; i++)
        {
            var id = $"a{random.Next(60)}";
            // Parents always have a higher number: a forest, as the hierarchy coordinator guarantees.
            var n = int.Parse(id[1..]);
            if (random.Next(4) == 0) book.ApplyHierarchy(id, n == 59 || random.Next(3) == 0 ? "" : $"a{random.Next(n + 1, 60)}", i + 1, false);
            else book.ApplyRevenue(id, i + 1, [new DayAmount(Today.AddDays(-random.Next(40)), random.Next(-50, 500))]);
        }
        var restored = new RevenueBook(true, Rules, new ConcentrationOptions(), Today, book.Entries);
        Assert.Equal(book.Index.GetFigures().TotalRevenueMinor, restored.Index.GetFigures().TotalRevenueMinor);
        Assert.Equal(book.Index.GetFigures().AccountCount, restored.Index.GetFigures().AccountCount);
        Assert.Equal(book.Index.GetTopRows(0, 100).ToArray(), restored.Index.GetTopRows(0, 100).ToArray());
    }

    /// <summary>Random reports, moves and day changes against a from-scratch recomputation of every group total.</summary>
    [Fact]
    public void Group_totals_match_a_brute_force_oracle()
    {
        for (var seed = 0; seed < 40; seed++)
        {
            var random = new Random(seed);
            var book = Book(group: true);
            var parents = new Dictionary<string, string>();
            var buckets = new Dictionary<string, DayAmount[]>();
            var version = 0L;
            for (var step = 0; step < 300; step++)
            {
                var id = $"a{random.Next(25)}";
                switch (random.Next(10))
                {
                    case < 2:
                        // Only acyclic moves, as the hierarchy coordinator guarantees.
                        var parent = random.Next(3) == 0 ? "" : $"a{random.Next(25)}";
                        if (parent == id || IsBelow(parent, id, parents)) break;
                        parents[id] = parent;
                        book.ApplyHierarchy(id, parent, ++version, false);
                        break;
                    case 2:
                        book.AdvanceTo(book.Today.AddDays(random.Next(1, 5)));
                        break;
                    default:
                        var days = Enumerable.Range(0, random.Next(1, 4))
                            .Select(_ => new DayAmount(book.Today.AddDays(-random.Next(-1, 35)), random.Next(-100, 1000)))
                            .GroupBy(d => d.Day).Select(g => new DayAmount(g.Key, g.Sum(d => d.AmountMinor))).OrderBy(d => d.Day).ToArray();
                        buckets[id] = days;
                        book.ApplyRevenue(id, ++version, days);
                        break;
                }

                var expected = new Dictionary<string, (long Sum, int Members)>();
                foreach (var (account, days) in buckets)
                {
                    var (total, inWindow) = Rules.TotalAt(days, book.Today);
                    if (!inWindow) continue;
                    var root = RootOf(account, parents);
                    var (sum, members) = expected.GetValueOrDefault(root);
                    expected[root] = (sum + total, members + 1);
                }
                Assert.Equal(expected.Count(e => e.Value.Sum > 0), book.Index.AccountCount);
                Assert.Equal(expected.Count(e => e.Value.Sum <= 0), book.Index.NonPositiveCount);
                foreach (var (root, (sum, _)) in expected)
                {
                    Assert.True(book.Index.TryGetTotal(root, out var held), $"seed {seed} step {step}: {root} missing");
                    Assert.Equal(sum, held);
                }
            }
        }

        static string RootOf(string id, Dictionary<string, string> parents)
        {
            while (parents.TryGetValue(id, out var p) && p.Length > 0) id = p;
            return id;
        }

        static bool IsBelow(string candidate, string ancestor, Dictionary<string, string> parents)
        {
            for (var id = candidate; parents.TryGetValue(id, out var p) && p.Length > 0; id = p)
                if (p == ancestor) return true;
            return false;
        }
    }

    [Fact]
    public void Class_counts_follow_the_abc_thresholds()
    {
        var book = Book();
        // 50 + 30 = 80: the account that crosses 80% is A.
        long[] totals = [50, 30, 10, 5, 3, 2];
        for (var i = 0; i < totals.Length; i++) book.ApplyRevenue($"a{i}", 1, [new DayAmount(Today, totals[i])]);
        Assert.Equal((2L, 2L, 2L), book.ClassCounts());
    }

    [Fact]
    public void Share_of_wallet_is_annualised_window_revenue_over_volume_alone_and_over_the_subtree_with_a_volume()
    {
        var book = Book(group: true);
        book.ApplyHierarchy("hq", "", 1, false, yearlyPurchaseVolumeMinor: 3_650_000);
        book.ApplyHierarchy("bureau", "hq", 1, false, yearlyPurchaseVolumeMinor: 730_000);
        book.ApplyHierarchy("unit", "bureau", 1, false); // volume unknown
        book.ApplyRevenue("hq", 1, [new DayAmount(Today, 30_000)]);
        book.ApplyRevenue("bureau", 1, [new DayAmount(Today, 6_000)]);
        book.ApplyRevenue("unit", 1, [new DayAmount(Today, 99_000)]);

        // A 30-day window: 30,000 in 30 days is 365,000 a year, a tenth of 3,650,000.
        var hq = book.ShareOfWalletOf("hq");
        Assert.Equal(0.1, hq.Share!.Value, 10);
        // hq and bureau have volumes, the unit's revenue is left out: (30,000 + 6,000) × 365/30 ÷ 4,380,000.
        Assert.Equal(36_000 * (365.0 / 30) / 4_380_000, hq.SubtreeShare!.Value, 10);
        Assert.Equal(0.1, book.ShareOfWalletOf("bureau").Share!.Value, 10);

        var unit = book.ShareOfWalletOf("unit");
        Assert.Null(unit.Share);
        Assert.Null(unit.SubtreeShare);
        Assert.Equal(99_000, unit.WindowRevenueMinor);

        // A new volume comes with the next hierarchy report; a deleted account leaves the roll-up.
        book.ApplyHierarchy("unit", "bureau", 2, false, yearlyPurchaseVolumeMinor: 1_000_000);
        Assert.NotNull(book.ShareOfWalletOf("unit").Share);
        book.ApplyHierarchy("bureau", "", 2, true);
        Assert.Equal(0.1, book.ShareOfWalletOf("hq").SubtreeShare!.Value, 10);
    }
}
