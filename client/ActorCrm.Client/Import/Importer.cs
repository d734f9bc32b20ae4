using Spectre.Console;
using System.Collections.Concurrent;
using System.Diagnostics;
using ActorCrm.Api.V1;
using ActorCrm.Client.Output;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace ActorCrm.Client.Import;

/// <summary>How an import runs.</summary>
/// <param name="Concurrency">Rows written in parallel (accounts, contacts, opportunities, activities).</param>
/// <param name="BatchSize">Revenue events per IngestRevenue batch (1..10,000).</param>
/// <param name="Window">Revenue batches in flight on the stream before waiting for acknowledgements.</param>
/// <param name="Progress">Show a progress bar on stderr.</param>
public sealed record ImportOptions(int Concurrency = 16, int BatchSize = 2000, int Window = 8, bool Progress = true);

/// <summary>
/// Streams rows from a source into the silo with upsert semantics, counting created / updated /
/// unchanged / rejected. Bad rows never stop the import: each is reported with its line and reason
/// (stderr and the rejects file). Rows that refer to something not there yet (a parent account
/// later in the file) are re-read and retried in further passes while each pass makes progress.
/// Revenue goes through the IngestRevenue stream in batches (exactly once per (account, event id),
/// so a re-run reports duplicates as unchanged).
/// </summary>
public sealed class Importer(CliHost host, GrpcChannel channel, ImportOptions options)
{
    /// <summary>Rejects printed one per line on stderr; the rest are only counted, listed in the summary and written to the rejects file.</summary>
    private const int MaxPrintedRejects = 50;

    private readonly Counters _counters = new();
    private long _printedRejects;

    public async Task<ImportSummary> RunAsync(ImportKind kind, IRecordSource source, RejectsFile rejects, CancellationToken cancel)
    {
        var summary = new ImportSummary { Kind = kind.Name(), Source = source.Name };
        var clock = Stopwatch.StartNew();
        var listed = new ConcurrentBag<Reject>();
        void Reject(long line, string reason, Func<string> raw)
        {
            Interlocked.Increment(ref _counters.Rejected);
            if (listed.Count < ImportSummary.MaxListedRejects) listed.Add(new Reject(line, reason));
            var printed = Interlocked.Increment(ref _printedRejects);
            if (printed <= MaxPrintedRejects) host.Err.WriteLine($"{source.Name}:{line}: rejected: {reason}", Style.Plain);
            else if (printed == MaxPrintedRejects + 1) host.Err.WriteLine("… more rejected rows: see the summary and the rejects file", Style.Plain);
            rejects.Write(line, reason, raw());
        }

        // Every call says it is an import (and of what), so the silo counts the rows (actorcrm.import.rows).
        var calls = channel.Intercept(headers =>
        {
            headers.Add("actorcrm-import", kind.Name());
            return headers;
        });
        if (kind == ImportKind.Revenue) summary.Passes = 1; // one pass; UNAVAILABLE events are resent, nothing waits for a later row
        var work = kind == ImportKind.Revenue
            ? IngestRevenueAsync(calls, source, Reject, cancel)
            : UpsertAllAsync(calls, kind, source, Reject, summary, cancel);
        if (options.Progress) await ProgressView.RunAsync(host.Err, kind.Name(), source, () => _counters.Done, work);
        else await work;

        summary.Created = _counters.Created;
        summary.Updated = _counters.Updated;
        summary.Unchanged = _counters.Unchanged;
        summary.Rejected = _counters.Rejected;
        summary.Expired = _counters.Expired;
        summary.Seconds = Math.Round(clock.Elapsed.TotalSeconds, 3);
        summary.Rejects.AddRange(listed.OrderBy(r => r.Line));
        summary.RejectsFile = rejects.PathIfWritten;
        return summary;
    }

    /// <summary>Account rows per BatchCreateAccounts call.</summary>
    private const int AccountBatch = 500;

    /// <summary>
    /// BatchCreateAccounts calls in flight: 4 at the default --concurrency 16. The silo group-commits
    /// the creates of each storage partition, so the more creates wait together the fewer storage
    /// writes each costs: 2 calls (256 creates) over 32 partitions left Azurite a write per one or two
    /// accounts and it fell behind; 4 loads 100k accounts at ~1,500/s (docs/benchmarks.md).
    /// </summary>
    private static int AccountBatchesInFlight(int concurrency) => Math.Clamp(concurrency / 4, 1, 8);

    private async Task UpsertAllAsync(CallInvoker calls, ImportKind kind, IRecordSource source, Action<long, string, Func<string>> reject, ImportSummary summary, CancellationToken cancel)
    {
        var upserter = new Upserter(calls);
        var accounts = new AccountService.AccountServiceClient(calls);
        IReadOnlySet<long>? only = null;
        while (true)
        {
            summary.Passes++;
            var deferred = new ConcurrentDictionary<long, (string Reason, Func<string> Raw)>();
            void Count(SourceRow row, RowResult result)
            {
                switch (result.Outcome)
                {
                    case Outcome.Created: Interlocked.Increment(ref _counters.Created); break;
                    case Outcome.Updated: Interlocked.Increment(ref _counters.Updated); break;
                    case Outcome.Unchanged: Interlocked.Increment(ref _counters.Unchanged); break;
                    case Outcome.Deferred: deferred[row.Line] = (result.Reason!, row.Raw); break;
                    default: reject(row.Line, result.Reason ?? "rejected", row.Raw); break;
                }
            }

            var rows = source.ReadAsync(only, cancel).Where(row =>
            {
                if (row.Message is not null) return true;
                reject(row.Line, row.Error ?? "unreadable", row.Raw);
                return false;
            });
            if (kind == ImportKind.Accounts)
            {
                // Accounts go in batches: one call creates hundreds; rows that exist already are compared and updated one by one.
                await Parallel.ForEachAsync(rows.Chunk(AccountBatch),
                    new ParallelOptions { MaxDegreeOfParallelism = AccountBatchesInFlight(options.Concurrency), CancellationToken = cancel },
                    async (batch, ct) =>
                    {
                        foreach (var (row, result) in await CreateAccountsAsync(accounts, upserter, batch, ct)) Count(row, result);
                    });
            }
            else
            {
                await Parallel.ForEachAsync(rows,
                    new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancel },
                    async (row, ct) => Count(row, await upserter.UpsertAsync(row.Message!, ct)));
            }
            if (deferred.IsEmpty) return;
            if (only is not null && deferred.Count >= only.Count)
            {
                // No progress in this pass: what is still missing is not in the file either.
                foreach (var (line, (reason, raw)) in deferred.OrderBy(d => d.Key)) reject(line, reason, raw);
                return;
            }
            only = deferred.Keys.ToHashSet();
        }
    }

    /// <summary>
    /// One BatchCreateAccounts call for the rows; a row that exists already is brought in line by the
    /// upserter, and so is every row when the call as a whole fails (its retries cover UNAVAILABLE).
    /// </summary>
    private static async Task<IReadOnlyList<(SourceRow Row, RowResult Result)>> CreateAccountsAsync(
        AccountService.AccountServiceClient accounts, Upserter upserter, SourceRow[] batch, CancellationToken cancel)
    {
        var request = new BatchCreateAccountsRequest();
        request.Requests.AddRange(batch.Select(row => new CreateAccountRequest { Account = (Account)row.Message! }));
        BatchCreateAccountsResponse? response = null;
        try
        {
            response = await accounts.BatchCreateAccountsAsync(request, cancellationToken: cancel);
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded && !cancel.IsCancellationRequested) { }

        var results = new (SourceRow, RowResult)[batch.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, batch.Length), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancel }, async (i, ct) =>
        {
            var status = response?.Results[i].Status;
            var code = status is null ? StatusCode.Unavailable : (StatusCode)status.Code;
            results[i] = (batch[i], code switch
            {
                StatusCode.OK => new RowResult(Outcome.Created),
                StatusCode.AlreadyExists => await upserter.UpdateExistingAsync(batch[i].Message!, ct),
                StatusCode.Unavailable => await upserter.UpsertAsync(batch[i].Message!, ct),
                _ => Upserter.Refused(code, Upserter.Describe(status!)),
            });
        });
        return results;
    }

    /// <summary>One unacknowledged IngestRevenue batch: the request and where each event came from.</summary>
    private sealed record Batch(RecordRevenueRequest Request, List<SourceRow> Rows);

    /// <summary>Most rounds of resending events the storage did not confirm (reason UNAVAILABLE) before rejecting them.</summary>
    private const int ResendRounds = 5;

    private async Task IngestRevenueAsync(CallInvoker calls, IRecordSource source, Action<long, string, Func<string>> reject, CancellationToken cancel)
    {
        var revenue = new RevenueService.RevenueServiceClient(calls);
        var batchSize = Math.Clamp(options.BatchSize, 1, 10_000);
        var resend = new ConcurrentQueue<SourceRow>();
        var lastRound = false;
        void OnAck(Batch batch, RecordRevenueResponse response)
        {
            for (var i = 0; i < batch.Rows.Count; i++)
            {
                var result = i < response.Results.Count ? response.Results[i] : null;
                switch (result?.Status)
                {
                    case RevenueEventStatus.Accepted: Interlocked.Increment(ref _counters.Created); break;
                    case RevenueEventStatus.Duplicate: Interlocked.Increment(ref _counters.Unchanged); break;
                    case RevenueEventStatus.Expired: Interlocked.Increment(ref _counters.Expired); break;
                    case RevenueEventStatus.Rejected when result.ReasonCode == "UNAVAILABLE" && !lastRound:
                        resend.Enqueue(batch.Rows[i]); // not stored: send it again (exactly once per event id)
                        break;
                    default:
                        var reason = result is null ? "no result for this event" : $"{result.ReasonCode}: {result.Message}";
                        reject(batch.Rows[i].Line, reason, batch.Rows[i].Raw);
                        break;
                }
            }
        }

        async Task SendAllAsync(IAsyncEnumerable<SourceRow> rows)
        {
            await using var stream = new IngestStream(revenue, options.Window, OnAck, cancel);
            var batch = new List<SourceRow>(batchSize);
            var request = new RecordRevenueRequest();
            await foreach (var row in rows)
            {
                if (row.Message is not RevenueEvent e)
                {
                    reject(row.Line, row.Error ?? "unreadable", row.Raw);
                    continue;
                }
                batch.Add(row);
                request.Events.Add(e);
                if (batch.Count < batchSize) continue;
                await stream.SendAsync(new Batch(request, batch));
                batch = new List<SourceRow>(batchSize);
                request = new RecordRevenueRequest();
            }
            if (batch.Count > 0) await stream.SendAsync(new Batch(request, batch));
            await stream.CompleteAsync();
        }

        await SendAllAsync(source.ReadAsync(null, cancel));
        for (var round = 1; !resend.IsEmpty && round <= ResendRounds; round++)
        {
            lastRound = round == ResendRounds;
            await Task.Delay(TimeSpan.FromSeconds(round), cancel);
            var again = new List<SourceRow>();
            while (resend.TryDequeue(out var row)) again.Add(row);
            await SendAllAsync(again.ToAsyncEnumerable());
        }
    }

    /// <summary>
    /// The IngestRevenue stream with a window of unacknowledged batches. When the stream breaks, a new
    /// one is opened and every unacknowledged batch is sent again (same event ids: nothing counts twice).
    /// </summary>
    private sealed class IngestStream(RevenueService.RevenueServiceClient client, int window, Action<Batch, RecordRevenueResponse> onAck, CancellationToken cancel) : IAsyncDisposable
    {
        private const int MaxReconnects = 5;
        private readonly ConcurrentQueue<Batch> _unacked = new();
        private readonly SemaphoreSlim _signal = new(0);
        private AsyncDuplexStreamingCall<RecordRevenueRequest, RecordRevenueResponse>? _call;
        private Task? _reader;
        private volatile Exception? _broken;
        private int _reconnects;

        public async Task SendAsync(Batch batch)
        {
            await EnsureOpenAsync();
            while (_unacked.Count >= Math.Max(1, window) && _broken is null) await _signal.WaitAsync(cancel);
            await EnsureOpenAsync();
            _unacked.Enqueue(batch);
            try
            {
                await _call!.RequestStream.WriteAsync(batch.Request, cancel);
            }
            catch (Exception e) when (e is RpcException or InvalidOperationException or IOException)
            {
                _broken ??= e; // the batch is queued: the reconnect resends it
            }
        }

        public async Task CompleteAsync()
        {
            while (true)
            {
                await EnsureOpenAsync();
                try
                {
                    await _call!.RequestStream.CompleteAsync();
                }
                catch (Exception e) when (e is RpcException or InvalidOperationException or IOException)
                {
                    _broken ??= e;
                }
                await _reader!;
                if (_unacked.IsEmpty) return;
                _broken ??= new IOException("the stream ended before every batch was acknowledged");
            }
        }

        private async Task EnsureOpenAsync()
        {
            if (_call is not null && _broken is null) return;
            if (_call is not null)
            {
                if (++_reconnects > MaxReconnects) throw new CliException($"revenue stream failed {_reconnects} times; last error: {_broken!.Message}");
                try { await _reader!; } catch (Exception) { /* already recorded */ }
                _call.Dispose();
                await Task.Delay(500 * _reconnects, cancel);
            }
            _broken = null;
            _call = client.IngestRevenue(cancellationToken: cancel);
            _reader = ReadAsync(_call);
            foreach (var pending in _unacked.ToArray()) await _call.RequestStream.WriteAsync(pending.Request, cancel);
        }

        private async Task ReadAsync(AsyncDuplexStreamingCall<RecordRevenueRequest, RecordRevenueResponse> call)
        {
            try
            {
                while (await call.ResponseStream.MoveNext(cancel))
                {
                    if (!_unacked.TryDequeue(out var batch)) throw new IOException("an acknowledgement for a batch never sent");
                    onAck(batch, call.ResponseStream.Current);
                    _signal.Release();
                }
            }
            catch (RpcException e) when (!cancel.IsCancellationRequested)
            {
                _broken = e;
            }
            finally
            {
                _signal.Release();
            }
        }

        public ValueTask DisposeAsync()
        {
            _call?.Dispose();
            _signal.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    private sealed class Counters
    {
        public long Created, Updated, Unchanged, Rejected, Expired;

        public long Done => Interlocked.Read(ref Created) + Interlocked.Read(ref Updated) + Interlocked.Read(ref Unchanged)
            + Interlocked.Read(ref Rejected) + Interlocked.Read(ref Expired);
    }
}
