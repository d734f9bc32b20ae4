using ActorCrm.Domain.Errors;
using ActorCrm.Domain.Model;
using ActorCrm.Domain.Pipeline;
using ActorCrm.Domain.Validation;

namespace ActorCrm.UnitTests.Pipeline;

public class PipelineTallyTests
{
    private static Opportunity Deal(string id, Stage stage, long amount, int probability, OpportunityStatus status = OpportunityStatus.Open,
        string reason = "", string currency = "CNY") => new()
    {
        AccountId = "a", OpportunityId = id, Name = id, Stage = stage, AmountMinor = amount, ProbabilityPercent = probability,
        Status = status, CloseReason = reason, CurrencyCode = currency,
    };

    private static Account Account(string id, StrategicTier tier, string owner = "u-li", string parent = "") => new()
    {
        AccountId = id, DisplayName = id, Kind = AccountKind.Business, Tier = tier, Owner = owner, ParentAccountId = parent,
    };

    private static PipelineRow Row(string id, StrategicTier tier, params Opportunity[] deals) =>
        PipelineRow.Of(id, Account(id, tier), 1, deals);

    [Fact]
    public void A_row_groups_open_deals_by_stage_and_closed_ones_by_reason_with_weighted_amounts_rounded_half_up()
    {
        var row = Row("hq", StrategicTier.NationalHq,
            Deal("o1", Stage.Solution, 1_000, 40),
            Deal("o2", Stage.Solution, 333, 50),        // 166.5 → 167
            Deal("o3", Stage.Lead, 101, 1),             // 1.01 → 1
            Deal("w1", Stage.Closed, 500, 100, OpportunityStatus.Won, "技术方案领先"),
            Deal("w2", Stage.Closed, 700, 100, OpportunityStatus.Won, "技术方案领先"),
            Deal("l1", Stage.Bidding, 900, 30, OpportunityStatus.Lost, "价格高于竞争对手"));

        Assert.Equal(
        [
            new PipelineLine("CNY", OpportunityStatus.Open, Stage.Lead, "", 1, 101, 1),
            new PipelineLine("CNY", OpportunityStatus.Open, Stage.Solution, "", 2, 1_333, 400 + 167),
            new PipelineLine("CNY", OpportunityStatus.Won, Stage.Unspecified, "技术方案领先", 2, 1_200, 0),
            new PipelineLine("CNY", OpportunityStatus.Lost, Stage.Unspecified, "价格高于竞争对手", 1, 900, 0),
        ], row.Lines);
    }

    [Fact]
    public void A_deleted_account_or_one_without_deals_has_an_empty_row()
    {
        Assert.True(PipelineRow.Of("x", null, 9, [Deal("o", Stage.Lead, 1, 1)]).IsEmpty);
        Assert.True(Row("x", StrategicTier.LocalOrOther).IsEmpty);
    }

    [Fact]
    public void Rows_sum_by_stage_tier_class_and_reason_and_a_group_equals_the_sum_of_its_parts()
    {
        var hq = Row("hq", StrategicTier.NationalHq, Deal("o1", Stage.Solution, 1_000, 40), Deal("w1", Stage.Closed, 500, 100, OpportunityStatus.Won, "关系好"));
        var bureau = Row("bureau", StrategicTier.BureauOrProvince, Deal("o2", Stage.Solution, 2_000, 50), Deal("o3", Stage.Bidding, 300, 70),
            Deal("l1", Stage.Bidding, 800, 20, OpportunityStatus.Lost, "价格"));
        var local = Row("local", StrategicTier.LocalOrOther, Deal("o4", Stage.Lead, 50, 10), Deal("l2", Stage.Lead, 60, 10, OpportunityStatus.Lost, "价格"),
            Deal("usd", Stage.Lead, 999, 10, currency: "USD"));
        var classes = new Dictionary<string, int> { ["hq"] = 1, ["bureau"] = 3 }; // local is unranked (0)

        var group = Sum([hq, bureau, local], classes);
        Assert.Equal(new OpenFigures(4, 3_350, 400 + 1_000 + 210 + 5), group.Open);
        Assert.Equal([new(Stage.Lead, new OpenFigures(1, 50, 5)), new(Stage.Solution, new OpenFigures(2, 3_000, 1_400)), new KeyValuePair<Stage, OpenFigures>(Stage.Bidding, new OpenFigures(1, 300, 210))], group.ByStage);
        Assert.Equal([new(StrategicTier.NationalHq, new OpenFigures(1, 1_000, 400)), new(StrategicTier.BureauOrProvince, new OpenFigures(2, 2_300, 1_210)),
            new KeyValuePair<StrategicTier, OpenFigures>(StrategicTier.LocalOrOther, new OpenFigures(1, 50, 5))], group.ByTier);
        Assert.Equal([new(0, new OpenFigures(1, 50, 5)), new(1, new OpenFigures(1, 1_000, 400)), new KeyValuePair<int, OpenFigures>(3, new OpenFigures(2, 2_300, 1_210))], group.ByAbcClass);
        Assert.Equal([new ClosedFigures("关系好", 1, 500)], group.Won);
        Assert.Equal([new ClosedFigures("价格", 2, 860)], group.Lost);
        Assert.Equal((1, 500, 2, 860), (group.WonCount, group.WonAmountMinor, group.LostCount, group.LostAmountMinor));
        Assert.Equal(3, group.AccountCount);
        Assert.Equal(1, group.OtherCurrencyCount);
        Assert.Equal("CNY", group.CurrencyCode);

        // The group's figures are the sums of its parts' figures.
        var parts = new[] { Sum([hq], classes), Sum([bureau], classes), Sum([local], classes) };
        Assert.Equal(group.Open, parts.Aggregate(new OpenFigures(), (sum, p) => new(sum.Count + p.Open.Count, sum.AmountMinor + p.Open.AmountMinor, sum.WeightedAmountMinor + p.Open.WeightedAmountMinor)));
        Assert.Equal(group.LostAmountMinor, parts.Sum(p => p.LostAmountMinor));
        Assert.Equal(group.AccountCount, parts.Sum(p => p.AccountCount));
    }

    [Fact]
    public void Reason_buckets_are_largest_first_and_capped_while_totals_count_everything()
    {
        var deals = Enumerable.Range(0, PipelineTally.MaxReasonBuckets + 5)
            .Select(i => Deal($"w{i}", Stage.Closed, 100 + i, 100, OpportunityStatus.Won, $"理由{i}")).ToArray();
        var result = Sum([Row("a", StrategicTier.NationalHq, deals)], new Dictionary<string, int>());
        Assert.Equal(PipelineTally.MaxReasonBuckets, result.Won.Count);
        Assert.Equal($"理由{PipelineTally.MaxReasonBuckets + 4}", result.Won[0].CloseReason);
        Assert.Equal(deals.Length, result.WonCount);
        Assert.Equal(deals.Sum(d => d.AmountMinor), result.WonAmountMinor);
    }

    [Fact]
    public void An_overflowing_sum_is_a_failed_precondition_not_a_wrong_number()
    {
        var big = new PipelineRow("a", 1, "", "", StrategicTier.NationalHq, [new PipelineLine("CNY", OpportunityStatus.Won, Stage.Unspecified, "", 1, long.MaxValue, 0)]);
        var tally = new PipelineTally("CNY");
        tally.Add(big, 0);
        var error = Assert.Throws<CrmException>(() => tally.Add(big with { AccountId = "b" }, 0));
        Assert.Equal(ErrorKind.FailedPrecondition, error.Kind);
    }

    [Fact]
    public void Rows_compare_by_figures_and_account_fields_not_by_version()
    {
        var row = Row("a", StrategicTier.NationalHq, Deal("o", Stage.Lead, 10, 10));
        Assert.True(row.SameAs(row with { Version = 7 }));
        Assert.False(row.SameAs(row with { Owner = "u-other" }));
        Assert.False(row.SameAs(Row("a", StrategicTier.NationalHq, Deal("o", Stage.Lead, 11, 10))));
    }

    [Theory]
    [InlineData(OpportunityStatus.Open, "价格", true)]
    [InlineData(OpportunityStatus.Won, "价格", false)]
    [InlineData(OpportunityStatus.Lost, "价格", false)]
    [InlineData(OpportunityStatus.Open, "", false)]
    public void A_close_reason_is_only_recorded_on_a_won_or_lost_deal(OpportunityStatus status, string reason, bool refused)
    {
        var v = new Violations();
        OpportunityRules.Validate(Deal("o", Stage.Closed, 1, 1, status, reason) with { CurrencyCode = "CNY" }, v);
        Assert.Equal(refused, v.Items.Any(i => i.Field == "opportunity.close_reason"));
    }

    [Fact]
    public void A_close_reason_is_one_line_of_at_most_500_characters()
    {
        var v = new Violations();
        OpportunityRules.Validate(Deal("o", Stage.Closed, 1, 1, OpportunityStatus.Lost, new string('价', 501)), v);
        OpportunityRules.Validate(Deal("p", Stage.Closed, 1, 1, OpportunityStatus.Lost, "a\nb"), v);
        Assert.Equal(2, v.Items.Count(i => i.Field == "opportunity.close_reason"));
    }

    private static PipelineTotals Sum(IEnumerable<PipelineRow> rows, IReadOnlyDictionary<string, int> classes)
    {
        var tally = new PipelineTally("CNY");
        foreach (var row in rows) tally.Add(row, classes.GetValueOrDefault(row.AccountId));
        return tally.Result();
    }
}
