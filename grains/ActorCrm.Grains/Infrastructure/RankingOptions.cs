using System.Collections.Immutable;
using ActorCrm.Domain.Revenue;
using ActorCrm.Ranking;

namespace ActorCrm.Grains.Infrastructure;

/// <summary>Configuration section "Ranking": the revenue window and the concentration figures.</summary>
public sealed class RankingOptions
{
    public const string Section = "Ranking";

    /// <summary>W: an event dated on local day d counts on day t iff t − W &lt; d ≤ t.</summary>
    public int WindowDays { get; set; } = 365;

    /// <summary>IANA or Windows id of the zone whose midnight moves the window (e.g. "Asia/Shanghai").</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>The reporting currency; events in another currency are rejected.</summary>
    public string Currency { get; set; } = "CNY";

    /// <summary>The k of each top-k share; empty means 1, 5, 10, 20, 50, 100.</summary>
    public List<int> TopCounts { get; set; } = [];

    /// <summary>Class A holds the accounts before cumulative revenue reaches this share.</summary>
    public decimal AbcThresholdA { get; set; } = 0.80m;

    /// <summary>Class B holds the next accounts before this share; the rest are C.</summary>
    public decimal AbcThresholdB { get; set; } = 0.95m;

    /// <summary>Most event ids one account remembers within its window (its exactly-once memory).</summary>
    public int MaxEventsPerAccount { get; set; } = 100_000;

    /// <summary>How often each silo's pre-aggregator flushes reports to the rankings.</summary>
    public int FlushIntervalMs { get; set; } = 200;

    /// <summary>
    /// How often a ranking saves its book (when it changed). The ledgers are the record; the saved
    /// book only makes a restart fast, and the reconciler brings it up to date, so it need not be
    /// written per flush.
    /// </summary>
    public int PersistIntervalMs { get; set; } = 5_000;

    /// <summary>
    /// How often at most each revenue partition checkpoints the ledgers that changed and truncates its
    /// log. Events are durable in the log before they are acknowledged, so this only trades ledger
    /// writes (an account's open segment, up to 128 events, is rewritten once per checkpoint however
    /// many events it got) against the replay after a crash.
    /// </summary>
    public int LedgerCheckpointIntervalMs { get; set; } = 60_000;

    /// <summary>A partition checkpoints sooner once its log holds this many events (bounds the replay).</summary>
    public int LedgerCheckpointEvents { get; set; } = 100_000;

    public RevenueWindowRules WindowRules() => new(WindowDays, TimeZoneInfo.FindSystemTimeZoneById(TimeZone));

    public ConcentrationOptions ConcentrationOptions() => new()
    {
        TopShareKs = TopCounts.Count > 0 ? [.. TopCounts] : ActorCrm.Ranking.ConcentrationOptions.DefaultTopShareKs,
        Abc = new AbcThresholds((int)(AbcThresholdA * AbcThresholds.BasisPointsPerUnit), (int)(AbcThresholdB * AbcThresholds.BasisPointsPerUnit)),
    };

    /// <summary>Fails fast on a setting that cannot work.</summary>
    public IEnumerable<string> Problems()
    {
        if (WindowDays is < 1 or > 3660) yield return $"Ranking:WindowDays {WindowDays} must be 1..3660";
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _)) yield return $"Ranking:TimeZone '{TimeZone}' is not a known time zone";
        if (Currency.Length != 3 || !Currency.All(char.IsAsciiLetterUpper)) yield return $"Ranking:Currency '{Currency}' must be an ISO 4217 code";
        if (TopCounts.Any(k => k < 1)) yield return "Ranking:TopCounts must all be ≥ 1";
        if (AbcThresholdA is < 0 or > 1 || AbcThresholdB < AbcThresholdA || AbcThresholdB > 1)
            yield return "Ranking:AbcThresholdA/B must satisfy 0 ≤ A ≤ B ≤ 1";
        if (MaxEventsPerAccount < 1) yield return "Ranking:MaxEventsPerAccount must be ≥ 1";
        if (FlushIntervalMs is < 10 or > 60_000) yield return "Ranking:FlushIntervalMs must be 10..60000";
        if (PersistIntervalMs is < 100 or > 600_000) yield return "Ranking:PersistIntervalMs must be 100..600000";
        if (LedgerCheckpointIntervalMs is < 100 or > 600_000) yield return "Ranking:LedgerCheckpointIntervalMs must be 100..600000";
        if (LedgerCheckpointEvents < 1) yield return "Ranking:LedgerCheckpointEvents must be ≥ 1";
    }
}
