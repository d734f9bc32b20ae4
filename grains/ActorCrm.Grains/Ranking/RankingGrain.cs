using System.Diagnostics;
using ActorCrm.Domain.Errors;
using ActorCrm.Domain.Revenue;
using ActorCrm.Grains.Infrastructure;
using ActorCrm.Ranking;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorCrm.Grains.Ranking;

/// <summary>The ranking's persisted state: the book's entries and the daily history.</summary>
[GenerateSerializer, Alias("actorcrm.state.Ranking")]
public sealed class RankingState
{
    [Id(0)] public Dictionary<string, BookEntry> Entries { get; set; } = new(StringComparer.Ordinal);
    [Id(1)] public List<ConcentrationDay> History { get; set; } = [];
}

/// <summary>
/// See <see cref="IRankingGrain"/>. The logic lives in <see cref="RevenueBook"/>; this grain feeds it,
/// answers reads, and saves it every Ranking:PersistIntervalMs when it changed. What a crash loses
/// between saves is still in the account ledgers: activation starts a reconciliation sweep.
/// </summary>
public sealed class RankingGrain(
    [PersistentState("ranking", StorageNames.Large)] IPersistentState<RankingState> state,
    [FromKeyedServices(ProductClock.Key)] TimeProvider clock,
    IOptions<RankingOptions> options,
    ILogger<RankingGrain> logger) : Grain, IRankingGrain
{
    /// <summary>Days of history kept (about three years).</summary>
    private const int HistoryDays = 1100;

    private RevenueBook _book = null!;
    private RankingScope _scope;
    private bool _unsaved;

    /// <summary>The figures published after the last change: an immutable value readers get without any recomputation.</summary>
    private ConcentrationView _published = new();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _scope = this.GetPrimaryKeyString() == IRankingGrain.KeyOf(RankingScope.Group) ? RankingScope.Group : RankingScope.Account;
        var rules = options.Value.WindowRules();
        _book = new RevenueBook(_scope == RankingScope.Group, rules, options.Value.ConcentrationOptions(), Today(rules), state.State.Entries);
        state.State.Entries = _book.Entries; // one dictionary: the book's, persisted as it is
        Publish();
        this.RegisterGrainTimer(AdvanceClockAsync, new GrainTimerCreationOptions(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)) { KeepAlive = true });
        var persist = TimeSpan.FromMilliseconds(options.Value.PersistIntervalMs);
        this.RegisterGrainTimer(SaveIfChangedAsync, new GrainTimerCreationOptions(persist, persist) { KeepAlive = true });

        // Reports buffered in a pre-aggregator of a silo that died are gone; the sweep recovers them.
        GrainFactory.GetGrain<IRankingReconcilerGrain>(0).StartAsync().Ignore();
        logger.LogInformation("Ranking {Scope} activated with {Accounts} accounts", _scope, state.State.Entries.Count);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => SaveIfChangedAsync();

    public Task ApplyAsync(RankingBatch batch)
    {
        var changed = false;
        foreach (var report in batch.Hierarchy)
            changed |= _book.ApplyHierarchy(report.AccountId, report.ParentAccountId, report.ProfileVersion, report.Deleted);
        foreach (var report in batch.Revenue)
            changed |= _book.ApplyRevenue(report.AccountId, report.LedgerVersion, report.Buckets);
        if (changed) Publish();
        _unsaved |= changed;
        return Task.CompletedTask;
    }

    public async Task AdvanceClockAsync()
    {
        var today = Today(_book.Rules);
        if (today <= _book.Today) return;
        RecordHistory(); // the figures as they stood at the end of the day that is ending
        var changed = _book.AdvanceTo(today);
        Publish();
        logger.LogInformation("Ranking {Scope} moved to {Day}: {Accounts} totals changed", _scope, today, changed);
        _unsaved = true;
        await SaveIfChangedAsync();
    }

    public Task<ConcentrationView> GetConcentrationAsync() => Task.FromResult(_published);

    private void Publish() => Diagnostics.ActorCrmMetrics.Published(GrainContext, _published = ViewOf(_book.Index, _book.ClassCounts()));

    public Task<IReadOnlyList<RankedRowView>> ListTopAsync(int offset, int count) =>
        Task.FromResult<IReadOnlyList<RankedRowView>>(_book.Index.GetTopRows(offset, count)
            .Select(r => new RankedRowView(r.AccountId, r.Rank, r.RevenueMinor, r.Share, r.CumulativeShare, GradeOf(r.AbcClass)))
            .ToArray());

    public Task<AccountRankView> GetRankAsync(string accountId)
    {
        var rankedId = _book.RankedIdOf(accountId);
        var rank = _book.Index.GetRank(rankedId);
        var view = rank is { } r
            ? new AccountRankView(accountId, rankedId, r.Rank, r.Percentile, r.RevenueMinor, r.Share, GradeOf(r.AbcClass))
            : new AccountRankView(accountId, rankedId, 0, 0, _book.Index.TryGetTotal(rankedId, out var total) ? total : 0, 0, AbcGrade.Unranked);
        return Task.FromResult(view);
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
        IReadOnlyList<ConcentrationDay> days = state.State.History
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
        state.State.History.RemoveAll(d => d.Day == day.Day);
        state.State.History.Add(day);
        if (state.State.History.Count > HistoryDays) state.State.History.RemoveRange(0, state.State.History.Count - HistoryDays);
    }

    private ConcentrationDay CurrentDay()
    {
        var figures = _book.Index.GetFigures();
        return new ConcentrationDay(_book.Today, figures.AccountCount, figures.TotalRevenueMinor.ToString(), figures.ParetoShare, figures.Hhi, figures.Gini);
    }

    /// <summary>Persists the book if it changed since the last successful save (a failed save is retried on the next tick).</summary>
    private async Task SaveIfChangedAsync()
    {
        if (!_unsaved) return;
        RecordHistory();
        var started = Stopwatch.GetTimestamp();
        await state.WriteStateAsync();
        _unsaved = false;
        logger.LogDebug("Ranking {Scope} saved {Accounts} accounts in {Milliseconds} ms", _scope, _book.Entries.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
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
