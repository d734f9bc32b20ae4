using System.Diagnostics;
using ActorCrm.Domain.Errors;
using ActorCrm.Domain.Revenue;
using ActorCrm.Grains.Infrastructure;
using ActorCrm.Ranking;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ActorCrm.Grains.Watching;
using Orleans.Storage;
using Orleans.Utilities;

namespace ActorCrm.Grains.Ranking;

/// <summary>
/// See <see cref="IRankingGrain"/>. The logic lives in <see cref="RevenueBook"/>; this grain feeds it,
/// answers reads, and saves the accounts that changed in chunks (<see cref="RankingStore"/>). What a
/// crash loses between saves is still in the account ledgers: activation starts a reconciliation sweep.
/// </summary>
/// <remarks>
/// Save cadence: every Ranking:PersistIntervalMs at most, and after a save that took d, not before
/// <see cref="SaveDutyFactor"/>·d has passed, so saving keeps storage busy at most ~1/10 of the time
/// however large the book grows (measured chunk write speeds are in docs/benchmarks.md).
/// </remarks>
public sealed class RankingGrain(
    [FromKeyedServices(StorageNames.Large)] IGrainStorage storage,
    [FromKeyedServices(ProductClock.Key)] TimeProvider clock,
    IOptions<RankingOptions> options,
    ILogger<RankingGrain> logger) : Grain, IRankingGrain
{
    /// <summary>Days of history kept (about three years).</summary>
    private const int HistoryDays = 1100;

    /// <summary>The wait after a save, as a multiple of how long it took.</summary>
    private const int SaveDutyFactor = 9;

    private RevenueBook _book = null!;
    private RankingStore _store = null!;
    private RankingScope _scope;
    private bool _historyUnsaved;
    private Task _saving = Task.CompletedTask;
    private long _nextSaveTimestamp;

    /// <summary>The figures published after the last change: an immutable value readers get without any recomputation.</summary>
    private ConcentrationView _published = new();

    private readonly Guid _publisher = Guid.NewGuid();
    private long _publishedVersion;
    private ObserverManager<IConcentrationObserver>? _watchers;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _scope = this.GetPrimaryKeyString() == IRankingGrain.KeyOf(RankingScope.Group) ? RankingScope.Group : RankingScope.Account;
        _store = new RankingStore(storage, this.GetGrainId());
        var started = Stopwatch.GetTimestamp();
        var entries = await _store.LoadAsync();
        var rules = options.Value.WindowRules();
        _book = new RevenueBook(_scope == RankingScope.Group, rules, options.Value.ConcentrationOptions(), Today(rules), entries);
        Publish();
        this.RegisterGrainTimer(AdvanceClockAsync, new GrainTimerCreationOptions(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)) { KeepAlive = true });
        // Interleaved, so reports keep being applied while chunks are written (the store writes copies).
        var persist = TimeSpan.FromMilliseconds(options.Value.PersistIntervalMs);
        this.RegisterGrainTimer(SaveIfDueAsync, new GrainTimerCreationOptions(persist, persist) { KeepAlive = true, Interleave = true });

        // Reports buffered in a pre-aggregator of a silo that died are gone; the sweep recovers them.
        GrainFactory.GetGrain<IRankingReconcilerGrain>(0).StartAsync().Ignore();
        logger.LogInformation("Ranking {Scope} activated with {Accounts} accounts loaded in {Milliseconds} ms",
            _scope, entries.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await _saving;
        await SaveAsync();
    }

    /// <summary>Reports applied in one turn: between slices the interleaved reads get in (a flush of 100k reports took 1–2.6 s in one turn).</summary>
    private const int ApplySlice = 4_096;

    public async Task ApplyAsync(RankingBatch batch)
    {
        var changed = false;
        foreach (var report in batch.Hierarchy)
            changed |= Saved(report.AccountId, _book.ApplyHierarchy(report.AccountId, report.ParentAccountId, report.ProfileVersion, report.Deleted, report.DisplayName, report.Tier, report.YearlyPurchaseVolumeMinor));
        for (var i = 0; i < batch.Revenue.Count; i++)
        {
            var report = batch.Revenue[i];
            changed |= Saved(report.AccountId, _book.ApplyRevenue(report.AccountId, report.LedgerVersion, report.Buckets, report.Position));
            if ((i + 1) % ApplySlice == 0) await Task.Yield();
        }
        if (changed) Publish();
    }

    public async Task AdvanceClockAsync()
    {
        var today = Today(_book.Rules);
        if (today <= _book.Today) return;
        RecordHistory(); // the figures as they stood at the end of the day that is ending
        var changed = _book.AdvanceTo(today);
        Publish();
        logger.LogInformation("Ranking {Scope} moved to {Day}: {Accounts} totals changed", _scope, today, changed);
        _historyUnsaved = true;
        await _saving;
        await SaveAsync();
    }

    public Task<ConcentrationView> GetConcentrationAsync() => Task.FromResult(_published);

    /// <summary>Publishes the figures for readers and, when silos watch, sends them the snapshot (one message per silo).</summary>
    private void Publish()
    {
        _published = ViewOf(_book.Index, _book.ClassCounts());
        Diagnostics.ActorCrmMetrics.Published(GrainContext, _published);
        _publishedVersion++;
        if (_watchers is not { Count: > 0 }) return;
        var snapshot = Snapshot();
        _watchers.Notify(observer => observer.OnConcentrationChangedAsync(snapshot));
    }

    private PublishedConcentration Snapshot() => new(_publisher, _publishedVersion, _published, TopRows(0, PublishedConcentration.MaxTopRows));

    public Task<PublishedConcentration> WatchAsync(IConcentrationObserver observer)
    {
        _watchers ??= new ObserverManager<IConcentrationObserver>(WatchTimings.ObserverExpiry, logger);
        _watchers.ClearExpired();
        _watchers.Subscribe(observer, observer);
        return Task.FromResult(Snapshot());
    }

    public Task UnwatchAsync(IConcentrationObserver observer)
    {
        _watchers?.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<RankedRowView>> ListTopAsync(int offset, int count) => Task.FromResult(TopRows(offset, count));

    private IReadOnlyList<RankedRowView> TopRows(int offset, int count) =>
        _book.Index.GetTopRows(offset, count)
            .Select(r =>
            {
                var (name, tier) = _book.ListingOf(r.AccountId);
                return new RankedRowView(r.AccountId, r.Rank, r.RevenueMinor, r.Share, r.CumulativeShare, GradeOf(r.AbcClass), name, tier);
            })
            .ToArray();

    public Task<AccountRankView> GetRankAsync(string accountId)
    {
        var rankedId = _book.RankedIdOf(accountId);
        var rank = _book.Index.GetRank(rankedId);
        var view = rank is { } r
            ? new AccountRankView(accountId, rankedId, r.Rank, r.Percentile, r.RevenueMinor, r.Share, GradeOf(r.AbcClass))
            : new AccountRankView(accountId, rankedId, 0, 0, _book.Index.TryGetTotal(rankedId, out var total) ? total : 0, 0, AbcGrade.Unranked);
        return Task.FromResult(view);
    }

    public Task<Domain.Insights.ShareOfWallet> GetShareOfWalletAsync(string accountId) => Task.FromResult(_book.ShareOfWalletOf(accountId));

    public async Task<IReadOnlyList<AccountRankView>> GetRanksAsync(IReadOnlyList<string> accountIds)
    {
        var views = new AccountRankView[accountIds.Count];
        for (var i = 0; i < views.Length; i++) views[i] = await GetRankAsync(accountIds[i]);
        return views;
    }

    /// <summary>Classes are bands of the ranking (A on top, then B, then C), so the scan stops past the wanted one.</summary>
    public Task<IReadOnlyList<RankedRowView>> ListRankedAsync(AbcGrade grade, int max)
    {
        const int page = 1_000;
        var rows = new List<RankedRowView>();
        for (var offset = 0; rows.Count < max; offset += page)
        {
            var batch = TopRows(offset, page);
            foreach (var row in batch)
            {
                if (grade != AbcGrade.Unranked && row.Grade > grade) return Task.FromResult<IReadOnlyList<RankedRowView>>(rows);
                if ((grade == AbcGrade.Unranked || row.Grade == grade) && rows.Count < max) rows.Add(row);
            }
            if (batch.Count < page) break;
        }
        return Task.FromResult<IReadOnlyList<RankedRowView>>(rows);
    }

    public Task<ConcentrationView> WhatIfAsync(IReadOnlyList<string> removeAccountIds, IReadOnlyList<RevenueAdjustmentEntry> adjustments)
    {
        var scenario = new WhatIfScenario();
        foreach (var id in removeAccountIds)
        {
            // In group scope a removed account takes its own revenue out of its group.
            if (_scope == RankingScope.Group) scenario.Adjust(_book.RankedIdOf(id), -_book.TotalOf(id));
            else scenario.Remove(id);
        }
        foreach (var adjustment in adjustments)
            scenario.Adjust(_book.RankedIdOf(adjustment.AccountId), adjustment.DeltaMinor);
        try
        {
            var snapshot = _book.Index.WhatIf(scenario);
            return Task.FromResult(ViewOf(snapshot.Figures, snapshot.Lorenz, (0, 0, 0)));
        }
        catch (OverflowException)
        {
            throw CrmException.Invalid("revenue_adjustments", "an adjusted total leaves the range of a 64-bit amount");
        }
    }

    public Task<IReadOnlyList<string>> ListTrackedAccountIdsAsync() =>
        Task.FromResult<IReadOnlyList<string>>(_book.Entries.Where(e => !e.Value.Deleted && e.Value.Buckets.Length > 0).Select(e => e.Key).ToArray());

    public Task<IReadOnlyList<ConcentrationDay>> GetHistoryAsync(DateOnly? from, DateOnly? to)
    {
        var today = CurrentDay();
        IReadOnlyList<ConcentrationDay> days = _store.History
            .Where(d => d.Day != today.Day)
            .Append(today)
            .Where(d => (from is null || d.Day >= from) && (to is null || d.Day <= to))
            .OrderBy(d => d.Day)
            .ToArray();
        return Task.FromResult(days);
    }

    private void RecordHistory()
    {
        var day = CurrentDay();
        _store.History.RemoveAll(d => d.Day == day.Day);
        _store.History.Add(day);
        if (_store.History.Count > HistoryDays) _store.History.RemoveRange(0, _store.History.Count - HistoryDays);
    }

    private ConcentrationDay CurrentDay()
    {
        var figures = _book.Index.GetFigures();
        return new ConcentrationDay(_book.Today, figures.AccountCount, figures.TotalRevenueMinor.ToString(), figures.ParetoShare, figures.Hhi, figures.Gini);
    }

    /// <summary>Marks an account's entry for the next save when applying a report changed it.</summary>
    private bool Saved(string accountId, bool changed)
    {
        if (changed) _store.Changed(accountId, _book.Entries[accountId]);
        return changed;
    }

    /// <summary>The save timer's tick: saves unless a save is running or the last one asks for a longer pause.</summary>
    private Task SaveIfDueAsync()
    {
        if (!_saving.IsCompleted || Stopwatch.GetTimestamp() < _nextSaveTimestamp) return Task.CompletedTask;
        return SaveAsync();
    }

    /// <summary>Saves the changed chunks and the history (a failed save is retried by the next tick).</summary>
    private async Task SaveAsync()
    {
        if (!_store.HasChanges && !_historyUnsaved) return;
        RecordHistory();
        _historyUnsaved = false;
        var save = _store.SaveAsync();
        _saving = save;
        try
        {
            var result = await save;
            _nextSaveTimestamp = Stopwatch.GetTimestamp() + result.Elapsed.Ticks * SaveDutyFactor * Stopwatch.Frequency / TimeSpan.TicksPerSecond;
            logger.LogDebug("Ranking {Scope} saved {Entries} accounts in {Chunks} chunks in {Milliseconds} ms",
                _scope, result.Entries, result.Chunks, result.Elapsed.TotalMilliseconds);
        }
        catch
        {
            _historyUnsaved = true;
            throw;
        }
    }

    private ConcentrationView ViewOf(ConcentrationIndex index, (long A, long B, long C) classes) =>
        ViewOf(index.GetFigures(), index.Lorenz(), classes);

    private ConcentrationView ViewOf(ConcentrationFigures figures, IEnumerable<LorenzPoint> lorenz, (long A, long B, long C) classes) => new()
    {
        Scope = _scope,
        AsOf = clock.GetUtcNow(),
        WindowDays = _book.Rules.WindowDays,
        AccountCount = figures.AccountCount,
        NonPositiveCount = figures.NonPositiveCount,
        TotalRevenueDecimal = figures.TotalRevenueMinor.ToString(),
        ParetoShare = figures.ParetoShare,
        TopShares = figures.TopShares.Select(t => new TopShareView(t.K, t.Share)).ToArray(),
        Hhi = figures.Hhi,
        Gini = figures.Gini,
        Lorenz = lorenz.Select(p => new LorenzPointView(p.PopulationShare, p.RevenueShare)).ToArray(),
        ClassACount = classes.A,
        ClassBCount = classes.B,
        ClassCCount = classes.C,
    };

    private static AbcGrade GradeOf(AbcClass abc) => abc switch
    {
        AbcClass.A => AbcGrade.A,
        AbcClass.B => AbcGrade.B,
        _ => AbcGrade.C,
    };

    private DateOnly Today(RevenueWindowRules rules) => rules.LocalDay(clock.GetUtcNow());
}
