using ActorCrm.Domain.Errors;
using ActorCrm.Domain.Revenue;
using ActorCrm.Grains.Diagnostics;
using ActorCrm.Grains.Infrastructure;
using ActorCrm.Grains.Ranking;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Storage;

namespace ActorCrm.Grains.Revenue;

/// <summary>
/// See <see cref="IRevenuePartitionGrain"/>. A batch: check which accounts exist (asked once per
/// account and activation), load their ledgers (once), apply each account's events, append what was
/// accepted to the log (<see cref="RevenueLog"/>: the one durable write of the batch), commit, and
/// report the changed ledgers to this silo's ranking pre-aggregator in one message. A timer
/// checkpoints the ledgers that changed (<see cref="LedgerStore"/>) every
/// Ranking:LedgerCheckpointIntervalMs, or sooner once the log holds Ranking:LedgerCheckpointEvents,
/// and truncates the log.
/// </summary>
/// <remarks>
/// Ledger versions are (epoch &lt;&lt; 32) + a counter, the epoch bumped by every activation, so
/// they grow across restarts without being stored; a ledger loaded in a new epoch gets a fresh one.
/// If an append fails the activation stops taking batches and deactivates: the next one replays
/// the log from storage, which is then the truth.
/// </remarks>
public sealed class RevenuePartitionGrain(
    [FromKeyedServices(StorageNames.Large)] IGrainStorage storage,
    [FromKeyedServices(ProductClock.Key)] TimeProvider clock,
    IOptions<RankingOptions> options,
    ILogger<RevenuePartitionGrain> logger) : Grain, IRevenuePartitionGrain
{
    /// <summary>Account checks, ledger loads or checkpoint writes one partition starts at once (storage serves all partitions).</summary>
    private const int MaxInFlight = 16;

    private readonly RevenueWindowRules _rules = options.Value.WindowRules();
    private readonly Dictionary<string, AccountLedger> _ledgers = new(StringComparer.Ordinal);

    /// <summary>Accounts their grain confirmed to exist (until deleted through this partition).</summary>
    private readonly HashSet<string> _existing = new(StringComparer.Ordinal);

    /// <summary>Accounts whose ledgers changed since the last checkpoint.</summary>
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);

    /// <summary>Accounts whose grains have watchers: they get every new report pushed.</summary>
    private readonly HashSet<string> _watched = new(StringComparer.Ordinal);

    private RevenueLog _log = null!;
    private long _versionCounter;
    private bool _broken;
    private Task _checkpoint = Task.CompletedTask;
    private IRankingReporterGrain? _reporter;

    /// <summary>A loaded ledger; <see cref="OwnRecords"/>: saved in records of its own rather than on its page (see LedgerPages).</summary>
    private sealed record AccountLedger(LedgerStore Store, RevenueLedger Ledger)
    {
        public bool OwnRecords { get; set; }

        /// <summary>Its page says it is in records of its own (set once that entry is written, or read).</summary>
        public bool PageSaysOwnRecords { get; set; }
    }

    private LedgerPages _pages = null!;

    private DateOnly Today => _rules.LocalDay(clock.GetUtcNow());

    private IRankingReporterGrain Reporter => _reporter ??= GrainFactory.GetGrain<IRankingReporterGrain>(0);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _log = new RevenueLog(storage, this.GetGrainId());
        // Ledgers of an earlier build were stored with the accounts; the profile partition of the same
        // number (same split of accounts) knows whether any existed before this build.
        var replay = await _log.OpenAsync(() => GrainFactory.GetGrain<IProfilePartitionGrain>(this.GetPrimaryKeyLong()).EarlierRecordsPossibleAsync());
        _pages = new LedgerPages(storage, this.GetGrainId(), allEmpty: _log.NoLedgersYet);
        foreach (var record in replay) await ReplayAsync(record);
        if (replay.Count > 0)
            logger.LogInformation("Revenue partition {Partition} replayed {Records} log records ({Events} events)",
                this.GetPrimaryKeyLong(), replay.Count, replay.Sum(r => r.Events.Count));
        var tick = TimeSpan.FromMilliseconds(Math.Min(1_000, options.Value.LedgerCheckpointIntervalMs));
        // Interleaved: batches go on while checkpoint writes are in flight (a checkpoint copies only committed events).
        this.RegisterGrainTimer(CheckpointTickAsync, new GrainTimerCreationOptions(tick, tick) { KeepAlive = true, Interleave = true });
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_broken) return;
        try
        {
            await _checkpoint;
            await CheckpointAsync();
        }
        catch (Exception error)
        {
            logger.LogWarning(error, "Revenue partition {Partition}: checkpoint on deactivation failed; the log keeps the events", this.GetPrimaryKeyLong());
        }
    }

    public async Task<RevenueOutcome[]> RecordAsync(Immutable<AccountRevenueEntry[]> request)
    {
        var entries = request.Value;
        var outcomes = new RevenueOutcome[entries.Length];
        var byAccount = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Length; i++)
        {
            if (!byAccount.TryGetValue(entries[i].AccountId, out var indexes)) byAccount[entries[i].AccountId] = indexes = [];
            indexes.Add(i);
        }
        if (_broken)
        {
            Array.Fill(outcomes, Unavailable);
            return Counted(outcomes);
        }

        var ledgers = await PrepareAsync(byAccount.Keys);
        var today = Today;
        var record = new RevenueLogRecord();
        var changed = new List<string>();
        foreach (var (accountId, indexes) in byAccount)
        {
            var prepared = ledgers[accountId];
            if (prepared.Refusal is { } refusal)
            {
                foreach (var i in indexes) outcomes[i] = refusal;
                continue;
            }
            var ledger = prepared.Ledger!.Ledger;
            AgeOut(accountId, ledger, today);
            var batch = new RevenueEntry[indexes.Count];
            for (var j = 0; j < batch.Length; j++) batch[j] = entries[indexes[j]].Entry;
            var results = ledger.Apply(batch, today);
            for (var j = 0; j < batch.Length; j++)
            {
                outcomes[indexes[j]] = results[j];
                if (results[j].Status == RevenueStatus.Accepted)
                    record.Events.Add(new LoggedRevenue(accountId, batch[j].EventId, batch[j].AmountMinor, batch[j].OccurredAt.UtcTicks));
            }
            if (ledger.HasChanges) changed.Add(accountId);
        }
        if (changed.Count == 0) return Counted(outcomes);

        try
        {
            await _log.AppendAsync(record);
            _loggedEvents += record.Events.Count;
        }
        catch (Exception error)
        {
            foreach (var accountId in changed) _ledgers[accountId].Ledger.Undo();
            Break(error);
            for (var i = 0; i < outcomes.Length; i++)
                if (outcomes[i].Status == RevenueStatus.Accepted) outcomes[i] = Unavailable;
            return Counted(outcomes);
        }
        foreach (var accountId in changed) Commit(accountId);
        Publish(changed, today);
        return Counted(outcomes);
    }

    public async Task<IReadOnlyList<RevenueEntry>> ListEventsAsync(string accountId, string afterEventId, int limit)
    {
        if (!await ExistsAsync(accountId)) throw CrmException.NotFound($"account '{accountId}' does not exist");
        return (await LedgerOfAsync(accountId)).Ledger.EventsAfter(afterEventId, limit, Today);
    }

    public async Task<IReadOnlyList<RevenueReport>> GetReportsAsync(IReadOnlyList<string> accountIds)
    {
        var today = Today;
        var reports = new List<RevenueReport>();
        foreach (var chunk in accountIds.Chunk(MaxInFlight))
        {
            var ledgers = await Task.WhenAll(chunk.Select(LedgerOfAsync));
            for (var i = 0; i < chunk.Length; i++)
                if (ledgers[i].Ledger.Version > 0) reports.Add(ReportOf(ledgers[i].Ledger, chunk[i], today));
        }
        return reports;
    }

    public async Task ClearAccountAsync(string accountId)
    {
        ThrowIfBroken();
        var ledger = (await LedgerOfAsync(accountId)).Ledger;
        _existing.Remove(accountId);
        if (ledger.Version == 0) return; // never held anything
        try
        {
            await _log.AppendAsync(new RevenueLogRecord { ClearedAccounts = [accountId] });
        }
        catch (Exception error)
        {
            Break(error);
            throw CrmException.Unavailable($"storage did not confirm clearing the revenue ledger ({error.GetType().Name}); retry the request");
        }
        ledger.Drop([.. ledger.Chunks]);
        Commit(accountId);
        Publish([accountId], Today);
    }

    public async Task<RevenueReport> WatchAccountAsync(string accountId)
    {
        var ledger = (await LedgerOfAsync(accountId)).Ledger;
        _watched.Add(accountId);
        return ReportOf(ledger, accountId, Today);
    }

    public Task UnwatchAccountAsync(string accountId)
    {
        _watched.Remove(accountId);
        return Task.CompletedTask;
    }

    public async Task<RevenueReport> RefreshAccountAsync(string accountId)
    {
        ThrowIfBroken();
        var ledger = (await LedgerOfAsync(accountId)).Ledger;
        var today = Today;
        AgeOut(accountId, ledger, today);
        ledger.Commit(NextVersion());
        Publish([accountId], today);
        return ReportOf(ledger, accountId, today);
    }

    private static readonly RevenueOutcome Unavailable =
        RevenueOutcome.Rejected(RevenueReasons.Unavailable, "storage did not confirm the write; resend the event");

    private static readonly RevenueOutcome UnknownAccount = RevenueOutcome.Rejected(RevenueReasons.UnknownAccount, "the account does not exist");

    private static RevenueOutcome[] Counted(RevenueOutcome[] outcomes)
    {
        ActorCrmMetrics.RevenueOutcomes(outcomes);
        return outcomes;
    }

    private readonly record struct Prepared(AccountLedger? Ledger, RevenueOutcome? Refusal);

    /// <summary>For each account: its ledger, or why its events are refused (it does not exist, or its ledger could not be loaded).</summary>
    private async Task<Dictionary<string, Prepared>> PrepareAsync(IEnumerable<string> accountIds)
    {
        var prepared = new Dictionary<string, Prepared>(StringComparer.Ordinal);
        var cold = new List<string>();
        foreach (var accountId in accountIds)
        {
            if (_existing.Contains(accountId) && _ledgers.TryGetValue(accountId, out var ledger)) prepared[accountId] = new(ledger, null);
            else cold.Add(accountId);
        }
        foreach (var chunk in cold.Chunk(MaxInFlight))
        {
            var results = await Task.WhenAll(chunk.Select(PrepareColdAsync));
            for (var i = 0; i < chunk.Length; i++) prepared[chunk[i]] = results[i];
        }
        return prepared;
    }

    private async Task<Prepared> PrepareColdAsync(string accountId)
    {
        try
        {
            if (!await ExistsAsync(accountId)) return new(null, UnknownAccount);
            return new(await LedgerOfAsync(accountId), null);
        }
        catch (CrmException error) when (error.Kind == ErrorKind.Unavailable)
        {
            return new(null, RevenueOutcome.Rejected(RevenueReasons.Unavailable, "storage did not answer loading the account's ledger; resend the event"));
        }
        catch (Exception error) when (error is TimeoutException or OrleansException)
        {
            return new(null, RevenueOutcome.Rejected(RevenueReasons.Unavailable, "the account did not answer in time; resend the event"));
        }
    }

    /// <summary>Whether the account exists, asked of its grain once (an account being deleted answers no).</summary>
    private async Task<bool> ExistsAsync(string accountId)
    {
        if (_existing.Contains(accountId)) return true;
        if (!await GrainFactory.GetKeyed<IAccountGrain>(accountId).AcceptsRevenueAsync()) return false;
        _existing.Add(accountId);
        return true;
    }

    /// <summary>The account's ledger, loaded on first need with a fresh version if it held anything.</summary>
    private async Task<AccountLedger> LedgerOfAsync(string accountId)
    {
        if (_ledgers.TryGetValue(accountId, out var held)) return held;
        var store = new LedgerStore(storage, GrainFactory.GetKeyed<IAccountGrain>(accountId).GetGrainId());
        RevenueLedger ledger;
        LedgerPageEntry? entry;
        try
        {
            (ledger, entry) = await ReadLedgerAsync(accountId, store);
        }
        catch (Exception error) when (error is not CrmException)
        {
            logger.LogWarning(error, "Revenue partition {Partition}: could not load the ledger of {AccountId}", this.GetPrimaryKeyLong(), accountId);
            throw CrmException.Unavailable($"storage did not answer loading the revenue ledger ({error.GetType().Name}); retry the request");
        }
        if (_ledgers.TryGetValue(accountId, out held)) return held; // loaded meanwhile by an interleaved call
        if (ledger.Version > 0) ledger.Commit(NextVersion());
        if (ledger.IsDirty) _dirty.Add(accountId); // read from an earlier layout: the next checkpoint rewrites it
        var loaded = new AccountLedger(store, ledger)
        {
            OwnRecords = entry is null or { OwnRecords: true },
            PageSaysOwnRecords = entry is { OwnRecords: true },
        };
        _ledgers[accountId] = loaded;
        return loaded;
    }

    /// <summary>
    /// Reads a ledger from where it is: its page (most ledgers), records of its own (it outgrew one
    /// chunk, or the partition predates pages), or nowhere yet (empty). The entry is null when the
    /// ledger was read from records of its own.
    /// </summary>
    private async Task<(RevenueLedger Ledger, LedgerPageEntry? Entry)> ReadLedgerAsync(string accountId, LedgerStore store)
    {
        var maxEvents = options.Value.MaxEventsPerAccount;
        var empty = new LedgerPageEntry(new LedgerIndex(), null, OwnRecords: false);
        // Nothing stored yet in this partition: the ledger is empty, no read needed (a bulk load's reconciliation reads none).
        if (_log.NoLedgersYet) return (new RevenueLedger(_rules, maxEvents), empty);
        var entry = await _pages.FindAsync(accountId);
        if (entry is { OwnRecords: false })
            return (new RevenueLedger(_rules, maxEvents, entry.Index.VersionFloor, entry.Chunk is { } chunk ? [chunk] : [], entry.Index.Chunks, entry.Index.NextChunk), entry);
        if (entry is { OwnRecords: true }) return (await store.LoadAsync(_rules, maxEvents), entry);
        if (!_log.LedgersOnPages) return (await store.LoadAsync(_rules, maxEvents), null);
        return (new RevenueLedger(_rules, maxEvents), empty);
    }

    /// <summary>
    /// A small ledger's page entry: its index and its one chunk — from the checkpoint if it changed,
    /// else as the page holds it (a chunk that did not change may hold events of a batch still
    /// waiting for its append, which must not be saved).
    /// </summary>
    private static LedgerPageEntry PageEntryOf(LedgerCheckpoint checkpoint, LedgerPageEntry? previous)
    {
        LedgerChunk? chunk = null;
        if (checkpoint.ChunkNumbers is [var number])
            chunk = checkpoint.Chunks.FirstOrDefault(c => c.Chunk == number) ?? (previous?.Chunk?.Chunk == number ? previous.Chunk : null);
        var index = new LedgerIndex { Chunks = [.. checkpoint.ChunkNumbers], NextChunk = checkpoint.NextChunk, VersionFloor = checkpoint.Version };
        return new LedgerPageEntry(index, chunk, OwnRecords: false);
    }

    /// <summary>Drops chunks none of whose ids needs remembering any longer (they count for nothing; the next checkpoint deletes them).</summary>
    private void AgeOut(string accountId, RevenueLedger ledger, DateOnly today)
    {
        var forgotten = ledger.ForgottenChunks(today);
        if (forgotten.Count == 0) return;
        ledger.Drop(forgotten);
        _dirty.Add(accountId);
    }

    private void Commit(string accountId)
    {
        _ledgers[accountId].Ledger.Commit(NextVersion());
        _dirty.Add(accountId);
    }

    private long NextVersion() => (_log.Epoch << 32) + ++_versionCounter;

    /// <summary>Re-applies one log record (events a checkpoint already holds come back as duplicates and change nothing).</summary>
    private async Task ReplayAsync(RevenueLogRecord record)
    {
        var today = Today;
        var changed = new List<string>();
        foreach (var account in record.Events.GroupBy(e => e.AccountId, StringComparer.Ordinal))
        {
            var ledger = (await LedgerOfAsync(account.Key)).Ledger;
            AgeOut(account.Key, ledger, today);
            ledger.Apply(account.Select(e => e.ToEntry()).ToArray(), today);
            if (!ledger.HasChanges) continue;
            Commit(account.Key);
            changed.Add(account.Key);
        }
        foreach (var accountId in record.ClearedAccounts)
        {
            var ledger = (await LedgerOfAsync(accountId)).Ledger;
            ledger.Drop([.. ledger.Chunks]);
            Commit(accountId);
            changed.Add(accountId);
        }
        Publish(changed, today);
    }

    /// <summary>One message with the changed ledgers' reports to this silo's pre-aggregator, and a push to each watched account.</summary>
    private void Publish(IReadOnlyList<string> accountIds, DateOnly today)
    {
        if (accountIds.Count == 0) return;
        var reports = new RevenueReport[accountIds.Count];
        for (var i = 0; i < reports.Length; i++) reports[i] = ReportOf(_ledgers[accountIds[i]].Ledger, accountIds[i], today);
        Reporter.ReportRevenueBatchAsync(reports.AsImmutable()).Ignore();
        if (_watched.Count == 0) return;
        foreach (var report in reports)
            if (_watched.Contains(report.AccountId))
                GrainFactory.GetKeyed<IAccountGrain>(report.AccountId).OnRevenueChangedAsync(report).Ignore();
    }

    private static RevenueReport ReportOf(RevenueLedger ledger, string accountId, DateOnly today)
    {
        var (buckets, position) = ledger.ReportAt(today);
        return new(accountId, ledger.Version, buckets, position);
    }

    private void ThrowIfBroken()
    {
        if (_broken) throw CrmException.Unavailable("the revenue partition is restarting after a storage failure; retry the request");
    }

    private void Break(Exception error)
    {
        logger.LogWarning(error, "Revenue partition {Partition}: a log append failed; deactivating to replay the log from storage", this.GetPrimaryKeyLong());
        _broken = true;
        DeactivateOnIdle();
    }

    /// <summary>Events appended since the last checkpoint began, and when that was.</summary>
    private long _loggedEvents;
    private long _lastCheckpoint = Environment.TickCount64;

    /// <summary>Checkpoints when the interval has passed or the log has grown past its bound (and no checkpoint runs).</summary>
    private Task CheckpointTickAsync()
    {
        if (_broken || !_checkpoint.IsCompleted) return Task.CompletedTask;
        if (_loggedEvents < options.Value.LedgerCheckpointEvents
            && Environment.TickCount64 - _lastCheckpoint < options.Value.LedgerCheckpointIntervalMs) return Task.CompletedTask;
        return _checkpoint = CheckpointAsync();
    }

    /// <summary>
    /// Writes every changed ledger's checkpoint, then moves the log's start past every record
    /// appended before it began. A failed ledger write leaves the log as it is (it still holds
    /// those events) and the ledger dirty for the next tick.
    /// </summary>
    private async Task CheckpointAsync()
    {
        var upTo = _log.NextSequence;
        _loggedEvents = 0;
        _lastCheckpoint = Environment.TickCount64;
        if (_dirty.Count == 0 && !_log.HasRecords) return;
        var accounts = _dirty.ToArray();
        _dirty.Clear();
        var failed = new List<(string Id, RevenueLedger Ledger, LedgerCheckpoint Checkpoint)>();
        Exception? lastError = null;
        // A slice at a time, each copied just before it is written: batches interleave between slices,
        // and a ledger copied later holds at least everything logged before upTo.
        foreach (var slice in accounts.Chunk(MaxInFlight))
        {
            await Task.WhenAll(slice.Select(async id =>
            {
                var held = _ledgers[id];
                var ledger = held.Ledger;
                if (!held.OwnRecords && ledger.Chunks.Count > 1)
                {
                    // Outgrew its page: from here on in records of its own, every chunk written once now.
                    ledger.MarkAllDirty();
                    held.OwnRecords = true;
                }
                var checkpoint = ledger.TakeCheckpoint();
                if (!held.OwnRecords)
                {
                    _pages.Put(id, PageEntryOf(checkpoint, _pages.Peek(id)));
                    return;
                }
                try
                {
                    await held.Store.SaveAsync(checkpoint);
                    if (_log.LedgersOnPages && !held.PageSaysOwnRecords)
                    {
                        _pages.Put(id, LedgerPageEntry.InOwnRecords);
                        held.PageSaysOwnRecords = true;
                    }
                }
                catch (Exception error)
                {
                    failed.Add((id, ledger, checkpoint));
                    lastError = error;
                }
            }));
        }
        try
        {
            await _pages.SaveAsync();
        }
        catch (Exception error)
        {
            // The pages stay due; the log keeps their events until a checkpoint has written them.
            lastError = error;
            logger.LogWarning(error, "Revenue partition {Partition}: ledger pages were not saved; the log keeps their events", this.GetPrimaryKeyLong());
            if (failed.Count == 0) return;
        }
        if (failed.Count > 0)
        {
            foreach (var (id, ledger, checkpoint) in failed)
            {
                ledger.Redirty(checkpoint);
                _dirty.Add(id);
            }
            logger.LogWarning(lastError, "Revenue partition {Partition}: {Failed} of {Ledgers} ledger checkpoints failed; the log keeps their events",
                this.GetPrimaryKeyLong(), failed.Count, accounts.Length);
            return;
        }
        try
        {
            await _log.TruncateAsync(upTo);
        }
        catch (Exception error)
        {
            logger.LogWarning(error, "Revenue partition {Partition}: could not move the log's start; its records are replayed as duplicates", this.GetPrimaryKeyLong());
        }
    }
}
