using ActorCrm.Domain.Errors;
using ActorCrm.Domain.Revenue;
using ActorCrm.Grains.Diagnostics;
using ActorCrm.Grains.Ranking;
using Microsoft.Extensions.Logging;

namespace ActorCrm.Grains.Accounts;

/// <summary>
/// The account's revenue ledger: exactly once per event id within the window, saved by month
/// (<see cref="LedgerStore"/>), loaded on first need, and reported to this silo's ranking
/// pre-aggregator after every save.
/// </summary>
public sealed partial class AccountGrain
{
    private LedgerStore? _ledgerStore;
    private Task<RevenueLedger>? _ledgerLoad;

    /// <summary>The ledger once loaded (null before: reading an account does not load its revenue).</summary>
    private RevenueLedger? _ledger;

    private DateOnly Today => _window.LocalDay(clock.GetUtcNow());

    public async Task<IReadOnlyList<RevenueOutcome>> RecordRevenueAsync(IReadOnlyList<RevenueEntry> entries)
    {
        var outcomes = await ApplyRevenueAsync(entries);
        ActorCrmMetrics.RevenueOutcomes(outcomes);
        return outcomes;
    }

    private async Task<IReadOnlyList<RevenueOutcome>> ApplyRevenueAsync(IReadOnlyList<RevenueEntry> entries)
    {
        if (profile.State.Account is null)
            return entries.Select(_ => RevenueOutcome.Rejected(RevenueReasons.UnknownAccount, $"account '{Id}' does not exist")).ToArray();

        RevenueLedger ledger;
        try
        {
            ledger = await LedgerAsync();
        }
        catch (CrmException loadFailure) when (loadFailure.Kind == ErrorKind.Unavailable)
        {
            var unavailable = RevenueOutcome.Rejected(RevenueReasons.Unavailable, "storage did not answer loading the account's ledger; resend the event");
            return entries.Select(_ => unavailable).ToArray();
        }
        var today = Today;
        var forgotten = ledger.ForgottenMonths(today);
        var outcomes = ledger.Apply(entries, today);
        if (!ledger.HasChanges && forgotten.Count == 0) return outcomes;

        if (await SaveLedgerAsync(ledger, forgotten) is { } error)
        {
            logger.LogWarning(error, "Account {AccountId}: ledger write failed; {Count} events not accepted", Id, outcomes.Count(o => o.Status == RevenueStatus.Accepted));
            var unavailable = RevenueOutcome.Rejected(RevenueReasons.Unavailable, "storage did not confirm the write; resend the event");
            return outcomes.Select(o => o.Status == RevenueStatus.Accepted ? unavailable : o).ToArray();
        }
        return outcomes;
    }

    /// <summary>
    /// Saves what <paramref name="ledger"/> changed as its next version, dropping the
    /// <paramref name="forgotten"/> months, then reports it. On failure the changes are undone (the
    /// served ledger is the saved one), the grain deactivates so its next call re-reads storage, and
    /// the failure is returned.
    /// </summary>
    private async Task<Exception?> SaveLedgerAsync(RevenueLedger ledger, IReadOnlyList<int> forgotten, bool forceHead = false)
    {
        var version = ledger.Version + 1;
        try
        {
            await _ledgerStore!.SaveAsync(ledger, forgotten, version, forceHead);
        }
        catch (Exception error)
        {
            ledger.Undo();
            DeactivateOnIdle();
            return error;
        }
        ledger.Saved(version);
        if (forgotten.Count > 0)
        {
            ledger.Drop(forgotten);
            await TryAsync(() => _ledgerStore.DeleteMonthsAsync(forgotten), "delete ledger months that aged out");
        }
        ReportRevenue();
        return null;
    }

    /// <summary>On delete: an empty ledger at the next version (the head first, then the months go).</summary>
    private async Task ClearLedgerAsync()
    {
        var ledger = await LedgerAsync();
        if (ledger.Version == 0) return;
        var months = ledger.Months.ToArray();
        var error = await SaveLedgerAsync(ledger, months, forceHead: true);
        if (error is not null) throw CrmException.Unavailable($"storage did not confirm the write ({error.GetType().Name}); retry the request");
    }

    public async Task<long> GetRevenueTotalAsync()
    {
        _ = Current;
        return (await LedgerAsync()).TotalAt(Today).Total;
    }

    public async Task<IReadOnlyList<RevenueEntry>> ListRevenueEventsAsync(string afterEventId, int limit)
    {
        _ = Current;
        return (await LedgerAsync()).EventsAfter(afterEventId, limit, Today);
    }

    public async Task<RankingBatch> GetRankingReportsAsync()
    {
        if (profile.State.Version == 0) return new RankingBatch([], []);
        var ledger = await LedgerAsync();
        return new RankingBatch(ledger.Version > 0 ? [RevenueReportOf(ledger)] : [], [HierarchyReportNow()]);
    }

    /// <summary>The ledger, loaded on first need (one load even when read-only calls interleave).</summary>
    private Task<RevenueLedger> LedgerAsync()
    {
        if (_ledgerLoad is null || _ledgerLoad.IsFaulted || _ledgerLoad.IsCanceled) _ledgerLoad = LoadLedgerAsync();
        return _ledgerLoad;
    }

    /// <summary>
    /// Loads the ledger and reports it: a save whose answer was lost in a storage outage may still
    /// have landed, newer than anything the rankings heard of (reports are versioned, so this is harmless).
    /// </summary>
    private async Task<RevenueLedger> LoadLedgerAsync()
    {
        _ledgerStore ??= new LedgerStore(largeStorage, this.GetGrainId());
        RevenueLedger ledger;
        try
        {
            ledger = await _ledgerStore.LoadAsync(_window, rankingOptions.Value.MaxEventsPerAccount);
        }
        catch (Exception error) when (error is not CrmException)
        {
            logger.LogWarning(error, "Account {AccountId}: could not load its revenue ledger", Id);
            throw CrmException.Unavailable($"storage did not answer loading the revenue ledger ({error.GetType().Name}); retry the request");
        }
        _ledger = ledger;
        if (ledger.Version > 0) ReportRevenue();
        return ledger;
    }

    private RevenueReport RevenueReportOf(RevenueLedger ledger) => new(Id, ledger.Version, ledger.LiveBuckets(Today));

    private HierarchyReport HierarchyReportNow() =>
        new(Id, profile.State.Account?.ParentAccountId ?? "", profile.State.Version, profile.State.Account is null,
            profile.State.Account?.DisplayName ?? "", profile.State.Account?.Tier ?? 0);

    // Kept: GetGrain resolves the interface by reflection on every call, a measurable share of an ingest.
    private IRankingReporterGrain Reporter => _reporter ??= GrainFactory.GetGrain<IRankingReporterGrain>(0);
    private IRankingReporterGrain? _reporter;

    /// <summary>
    /// Hands the ledger's absolute state to this silo's pre-aggregator (one-way). The ledger is
    /// already saved: if the report is lost (say the silo dies before the flush), reconciliation recovers it.
    /// </summary>
    private void ReportRevenue()
    {
        if (_ledger is { } ledger) Reporter.ReportRevenueAsync(RevenueReportOf(ledger)).Ignore();
    }

    private void ReportHierarchy() => Reporter.ReportHierarchyAsync(HierarchyReportNow()).Ignore();
}
