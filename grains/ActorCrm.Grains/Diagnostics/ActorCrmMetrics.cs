using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using ActorCrm.Domain.Revenue;
using ActorCrm.Grains.Ranking;

namespace ActorCrm.Grains.Diagnostics;

/// <summary>
/// The ActorCrm meter: every ActorCrm instrument lives here. The meter is named <see cref="MeterName"/>
/// and every instrument name starts with "actorcrm." (Prometheus shows them as actorcrm_…). Tags are
/// small closed sets (outcome, reason code, scope, result): never ids, never personal data.
///
/// Static, so any grain or service records without a constructor change; the silo's telemetry
/// subscribes by <see cref="MeterName"/>. A new instrument is one field and one method here, and a
/// line in the README's "Operating" section.
/// </summary>
public static class ActorCrmMetrics
{
    public const string MeterName = "ActorCrm";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> RevenueEvents = Meter.CreateCounter<long>(
        "actorcrm.revenue.events", "{event}",
        "Revenue events by final outcome (tag outcome = accepted | duplicate | expired | rejected; reason = the rejection code)");

    private static readonly Counter<long> RankingFlushes = Meter.CreateCounter<long>(
        "actorcrm.ranking.flushes", "{flush}",
        "Flushes of a silo's ranking pre-aggregator to the rankings (tag result = ok | failed)");

    private static readonly Histogram<double> RankingFlushLag = Meter.CreateHistogram(
        "actorcrm.ranking.flush.lag", "s",
        "Age of the oldest buffered report when its flush to the rankings completes: how stale the rankings may be",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });

    private static readonly UpDownCounter<long> Subscriptions = Meter.CreateUpDownCounter<long>(
        "actorcrm.subscriptions.active", "{subscription}",
        "Live watch streams on this silo (tag kind = account | concentration)");

    private static readonly Counter<long> ImportedRows = Meter.CreateCounter<long>(
        "actorcrm.import.rows", "{row}",
        "Rows received from bulk imports (calls marked with the actorcrm-import header; tag entity = accounts | contacts | opportunities | activities | revenue | other)");

    private static readonly Counter<long> ApiErrors = Meter.CreateCounter<long>(
        "actorcrm.api.errors", "{error}",
        "Calls, and items of batch calls, answered with an error status (tags method = the gRPC method, code = the status code)");

    /// <summary>The newest published figures per ranking scope, with the activation that published them.</summary>
    private static readonly ConcurrentDictionary<RankingScope, (IGrainContext Owner, ConcentrationView View)> Concentration = new();

    static ActorCrmMetrics()
    {
        Meter.CreateObservableGauge("actorcrm.ranking.pareto_share", () => Observe(v => v.ParetoShare), "1",
            "Share of revenue earned by the top 20% of ranked accounts (tag scope = account | group)");
        Meter.CreateObservableGauge("actorcrm.ranking.hhi", () => Observe(v => v.Hhi), "1",
            "Herfindahl-Hirschman index of revenue shares (tag scope)");
        Meter.CreateObservableGauge("actorcrm.ranking.gini", () => Observe(v => v.Gini), "1",
            "Gini coefficient of revenue (tag scope)");
        Meter.CreateObservableGauge("actorcrm.ranking.account_count", () => Observe(v => v.AccountCount), "{account}",
            "Accounts (scope account) or top-level groups (scope group) in the ranking (tag scope)");
    }

    /// <summary>A watch stream of <paramref name="kind"/> (account | concentration) opened (+1) or ended (−1).</summary>
    public static void SubscriptionsChanged(string kind, int delta) =>
        Subscriptions.Add(delta, new KeyValuePair<string, object?>("kind", kind));

    /// <summary>A call (or one item of a batch) to <paramref name="method"/> was answered with status <paramref name="code"/>.</summary>
    public static void ApiError(string method, string code) =>
        ApiErrors.Add(1, new KeyValuePair<string, object?>("method", method), new KeyValuePair<string, object?>("code", code));

    /// <summary>A bulk import sent <paramref name="rows"/> rows of <paramref name="entity"/>.</summary>
    public static void ImportRows(string entity, int rows) =>
        ImportedRows.Add(rows, new KeyValuePair<string, object?>("entity", entity));

    /// <summary>Counts the final outcome of each event, once per event.</summary>
    public static void RevenueOutcomes(IEnumerable<RevenueOutcome> outcomes)
    {
        if (!RevenueEvents.Enabled) return;
        foreach (var group in outcomes.GroupBy(o => (o.Status, o.ReasonCode)))
            RevenueEvents.Add(group.LongCount(), OutcomeTags(group.Key.Status, group.Key.ReasonCode));
    }

    /// <summary>One flush attempt; <paramref name="oldestReportAge"/> is how long its oldest report waited.</summary>
    public static void RankingFlushed(TimeSpan oldestReportAge, bool succeeded)
    {
        RankingFlushes.Add(1, new KeyValuePair<string, object?>("result", succeeded ? "ok" : "failed"));
        RankingFlushLag.Record(oldestReportAge.TotalSeconds);
    }

    /// <summary>
    /// The ranking activation <paramref name="owner"/> published <paramref name="view"/>. The gauges
    /// report it on this silo until that activation ends (a ranking that moves reports from its new silo).
    /// </summary>
    public static void Published(IGrainContext owner, ConcentrationView view)
    {
        var isNewOwner = !Concentration.TryGetValue(view.Scope, out var held) || !ReferenceEquals(held.Owner, owner);
        Concentration[view.Scope] = (owner, view);
        if (isNewOwner)
            owner.Deactivated.ContinueWith(_ => Forget(view.Scope, owner),
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private static void Forget(RankingScope scope, IGrainContext owner)
    {
        if (Concentration.TryGetValue(scope, out var held) && ReferenceEquals(held.Owner, owner))
            Concentration.TryRemove(KeyValuePair.Create(scope, held));
    }

    private static IEnumerable<Measurement<T>> Observe<T>(Func<ConcentrationView, T> figure) where T : struct =>
        Concentration.Values.Select(held => new Measurement<T>(figure(held.View),
            new KeyValuePair<string, object?>("scope", held.View.Scope == RankingScope.Group ? "group" : "account")));

    private static TagList OutcomeTags(RevenueStatus status, string reasonCode)
    {
        var tags = new TagList
        {
            {
                "outcome", status switch
                {
                    RevenueStatus.Accepted => "accepted",
                    RevenueStatus.Duplicate => "duplicate",
                    RevenueStatus.Expired => "expired",
                    _ => "rejected",
                }
            },
        };
        if (reasonCode.Length > 0) tags.Add("reason", reasonCode);
        return tags;
    }
}
