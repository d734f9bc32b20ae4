using System.Numerics;
using ActorCrm.Domain.Errors;
using ActorCrm.Domain.Validation;
using ActorCrm.Grains.Ranking;
using ActorCrm.Ranking;
using Google.Protobuf.WellKnownTypes;
using Proto = ActorCrm.Api.V1;

namespace ActorCrm.Silo.Mapping;

/// <summary>Protobuf ↔ wire types of the ranking and the revenue ledger (the rest of the mapping is <see cref="ProtoMapper"/>).</summary>
public static class RankingMapper
{
    public static RankingScope ToDomain(Proto.RankingScope scope, string field = "scope") => scope switch
    {
        Proto.RankingScope.Unspecified or Proto.RankingScope.Account => RankingScope.Account,
        Proto.RankingScope.Group => RankingScope.Group,
        _ => throw CrmException.Invalid(field, $"has an unknown value {(int)scope}"),
    };

    public static Proto.RankingScope ToProto(RankingScope scope) =>
        scope == RankingScope.Group ? Proto.RankingScope.Group : Proto.RankingScope.Account;

    public static Proto.Concentration ToProto(ConcentrationView view, string currency)
    {
        var total = BigInteger.Parse(view.TotalRevenueDecimal);
        return new Proto.Concentration
        {
            Scope = ToProto(view.Scope),
            AsOf = Timestamp.FromDateTimeOffset(view.AsOf),
            WindowDays = view.WindowDays,
            AccountCount = view.AccountCount,
            NonPositiveCount = view.NonPositiveCount,
            TotalRevenueMinor = Saturate(total),
            TotalRevenueDecimal = view.TotalRevenueDecimal,
            ParetoShare = view.ParetoShare,
            TopShares = { view.TopShares.Select(t => new Proto.TopShare { Count = t.Count, Share = t.Share }) },
            Hhi = view.Hhi,
            Gini = view.Gini,
            Lorenz = { view.Lorenz.Select(p => new Proto.LorenzPoint { PopulationShare = p.PopulationShare, RevenueShare = p.RevenueShare }) },
            ClassACount = view.ClassACount,
            ClassBCount = view.ClassBCount,
            ClassCCount = view.ClassCCount,
            CurrencyCode = currency,
        };
    }

    /// <summary>The figures an AlertThreshold may name, by name.</summary>
    public static IReadOnlyDictionary<string, double> AlertFigures(ConcentrationView view) => new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["pareto_share"] = view.ParetoShare,
        ["hhi"] = view.Hhi,
        ["gini"] = view.Gini,
        ["account_count"] = view.AccountCount,
    };

    public const int MaxAlertThresholds = 20;

    public static IReadOnlyList<Threshold> ToDomain(IReadOnlyList<Proto.AlertThreshold> thresholds, string field)
    {
        var violations = new Violations();
        if (thresholds.Count > MaxAlertThresholds) violations.Add(field, $"at most {MaxAlertThresholds} thresholds");
        var known = AlertFigures(new ConcentrationView()).Keys;
        for (var i = 0; i < thresholds.Count; i++)
        {
            if (!known.Contains(thresholds[i].Metric))
                violations.Add($"{field}[{i}].metric", $"'{thresholds[i].Metric}' is not one of {string.Join(", ", known)}");
            if (!double.IsFinite(thresholds[i].Value)) violations.Add($"{field}[{i}].value", "must be a finite number");
        }
        violations.ThrowIfAny();
        return thresholds.Select(t => new Threshold(t.Metric, t.Value)).ToArray();
    }

    public static Proto.Alert ToProto(ThresholdCrossing crossing, DateTimeOffset at) => new()
    {
        Metric = crossing.Metric,
        Value = crossing.Value,
        Threshold = crossing.Threshold,
        Direction = crossing.Rising ? Proto.AlertDirection.Rising : Proto.AlertDirection.Falling,
        At = Timestamp.FromDateTimeOffset(at),
    };

    /// <summary>A ranked row with the account's name and tier as the ranking last heard them.</summary>
    public static Proto.TopAccountRow ToProto(RankedRowView row) => new()
    {
        AccountId = row.AccountId,
        DisplayName = row.DisplayName,
        Tier = (Proto.StrategicTier)row.Tier,
        Rank = row.Rank,
        RevenueMinor = row.RevenueMinor,
        Share = row.Share,
        CumulativeShare = row.CumulativeShare,
        AbcClass = (Proto.AbcClass)row.Grade,
    };

    public static Proto.AccountRank ToProto(AccountRankView rank) => new()
    {
        AccountId = rank.AccountId,
        RankedAccountId = rank.RankedAccountId,
        Rank = rank.Rank,
        Percentile = rank.Percentile,
        RevenueMinor = rank.RevenueMinor,
        Share = rank.Share,
        AbcClass = (Proto.AbcClass)rank.Grade,
    };

    public static Proto.ConcentrationDay ToProto(ConcentrationDay day) => new()
    {
        Date = ProtoMapper.ToProto(day.Day),
        AccountCount = day.AccountCount,
        TotalRevenueMinor = Saturate(BigInteger.Parse(day.TotalRevenueDecimal)),
        ParetoShare = day.ParetoShare,
        Hhi = day.Hhi,
        Gini = day.Gini,
    };

    private static long Saturate(BigInteger value) =>
        value > long.MaxValue ? long.MaxValue : value < long.MinValue ? long.MinValue : (long)value;
}
