using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using ActorCrm.Api.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace ActorCrm.Scale.Benchmarks;

/// <summary>What the revenue phase did.</summary>
/// <param name="Results">Final outcome of every event, by status (REJECTED with its reason, e.g. "REJECTED/UNKNOWN_ACCOUNT").</param>
/// <param name="Errors">Events whose final outcome is not a success (see <see cref="RevenuePhase"/>).</param>
/// <param name="TotalsByAccount">Σ amount of the events the silo stored, by account number (index 0 unused).</param>
/// <param name="Answered">Events with a final answer (all of them unless the phase was aborted or resends ran out).</param>
/// <param name="LastAck">Stopwatch timestamp of the last acknowledgement.</param>
public sealed record RevenueResult(
    long Events, long Answered, double Seconds, IReadOnlyDictionary<string, long> Results, long Resent, long Errors,
    long StreamFailures, LatencySummary BatchLatency, IReadOnlyList<string> Samples, string? AbortReason,
    long[] TotalsByAccount, long LastAck);

/// <summary>
/// Sends the planned events with RevenueService.IngestRevenue: <c>streams</c> bidirectional streams
/// (spread over the channels) each keep up to <c>inFlight</c> batches unacknowledged; the silo answers
/// every batch with one response, in order, holding one result per event in request order.
/// <para>Success is ACCEPTED. An event REJECTED with reason UNAVAILABLE (storage did not confirm) is
/// resent with the same id, up to <see cref="MaxResendRounds"/> rounds, and so are the batches of a
/// stream that broke before answering them; a resent event answered DUPLICATE was stored by the earlier
/// attempt and counts as stored. DUPLICATE on a first send is an error, unless the silo already held
/// revenue when the phase began (a second run with the same seed). Anything else is an error.</para>
/// </summary>
public sealed class RevenuePhase(IReadOnlyList<GrpcChannel> channels, int streams, int inFlight, bool duplicatesExpected, Action<string> progress)
{
    public const int MaxResendRounds = 5;
    private const int MaxStreamFailures = 3; // per stream and round, then the phase is aborted

    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, long> _results = new(StringComparer.Ordinal);
    private readonly List<(RevenueEvent Event, int Number)> _resend = [];
    private readonly List<double> _batchLatencies = [];
    private readonly ErrorSamples _samples = new();
    private long[] _totals = [];
    private long _errors;
    private long _answered;
    private long _streamFailures;
    private long _lastAck;
    private string? _abortReason;

    /// <summary>Events per second to send at most (0: as fast as the silo answers).</summary>
    public double RateLimit { get; init; }

    public async Task<RevenueResult> RunAsync(RevenuePlan plan, int accountCount, int batchSize, CancellationToken cancel)
    {
        _totals = new long[accountCount + 1];
        long start = Stopwatch.GetTimestamp();
        _lastAck = start;
        using var ticker = Progress.Every(TimeSpan.FromSeconds(5), () =>
        {
            long answered = Interlocked.Read(ref _answered);
            progress($"revenue: {answered:N0}/{plan.EventCount:N0} events answered ({answered / Stopwatch.GetElapsedTime(start).TotalSeconds:N0}/s)");
        });

        long resent = 0;
        IEnumerable<RevenueBatch> batches = plan.Batches(batchSize);
        for (int round = 0; round <= MaxResendRounds && _abortReason is null; round++)
        {
            if (round > 0)
            {
                List<(RevenueEvent Event, int Number)> again;
                lock (_gate)
                {
                    again = [.. _resend.OrderBy(e => e.Event.EventId, StringComparer.Ordinal)];
                    _resend.Clear();
                }

                if (again.Count == 0)
                {
                    break;
                }

                resent += again.Count;
                progress($"revenue: resending {again.Count:N0} events (round {round} of {MaxResendRounds})");
                batches = again.Chunk(batchSize).Select(chunk =>
                {
                    var request = new RecordRevenueRequest();
                    request.Events.AddRange(chunk.Select(e => e.Event));
                    return new RevenueBatch(request, chunk.Select(e => e.Number).ToArray());
                });
            }

            await SendRoundAsync(batches, round, cancel);
        }

        lock (_gate)
        {
            // Events that never got a final answer: still waiting for a resend after the last round, or
            // never sent because the phase was aborted.
            long missing = plan.EventCount - _results.Values.Sum();
            if (missing > 0)
            {
                _results["NO_RESULT"] = missing;
                _errors += missing;
            }

            long answered = plan.EventCount - Math.Max(missing, 0);
            return new RevenueResult(plan.EventCount, answered, Stopwatch.GetElapsedTime(start, _lastAck).TotalSeconds,
                new SortedDictionary<string, long>(_results), resent, _errors, _streamFailures,
                LatencySummary.Of(_batchLatencies), _samples.ToList(), _abortReason, _totals, _lastAck);
        }
    }

    /// <summary>One pass over <paramref name="batches"/>: a producer fills a bounded queue, each stream drains it.</summary>
    private async Task SendRoundAsync(IEnumerable<RevenueBatch> batches, int round, CancellationToken cancel)
    {
        var queue = Channel.CreateBounded<RevenueBatch>(new BoundedChannelOptions(streams * inFlight) { SingleWriter = true });
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        Task producer = Task.Run(async () =>
        {
            try
            {
                long queued = 0;
                long paceStart = Stopwatch.GetTimestamp();
                foreach (RevenueBatch batch in batches)
                {
                    if (RateLimit > 0)
                    {
                        TimeSpan ahead = TimeSpan.FromSeconds(queued / RateLimit) - Stopwatch.GetElapsedTime(paceStart);
                        if (ahead > TimeSpan.Zero) await Task.Delay(ahead, abort.Token);
                    }

                    await queue.Writer.WriteAsync(batch, abort.Token);
                    queued += batch.Request.Events.Count;
                }
            }
            finally
            {
                queue.Writer.TryComplete();
            }
        }, CancellationToken.None);

        Task[] senders = Enumerable.Range(0, streams)
            .Select(s => StreamAsync(new RevenueService.RevenueServiceClient(channels[s % channels.Count]), queue.Reader, round, abort))
            .ToArray();
        try
        {
            await Task.WhenAll([.. senders, producer]);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested && _abortReason is not null)
        {
            // A stream gave up; the abort reason is reported, the unanswered events count as NO_RESULT.
        }
    }

    /// <summary>
    /// One sender: opens a stream, writes batches while fewer than inFlight are unanswered, and reads the
    /// answers on a second task. When the stream breaks, its unanswered batches go to the resend list
    /// and a new stream is opened.
    /// </summary>
    private async Task StreamAsync(RevenueService.RevenueServiceClient client, ChannelReader<RevenueBatch> queue, int round, CancellationTokenSource abort)
    {
        for (int failures = 1; ; failures++)
        {
            var unanswered = new ConcurrentQueue<(RevenueBatch Batch, long SentAt)>();
            RevenueBatch? held = null; // taken from the queue, not sent yet
            using var stream = CancellationTokenSource.CreateLinkedTokenSource(abort.Token);
            using var call = client.IngestRevenue(cancellationToken: stream.Token);
            using var slots = new SemaphoreSlim(inFlight);
            Task reader = ReadAnswersAsync(call, unanswered, slots, round, stream);
            try
            {
                await foreach (RevenueBatch batch in queue.ReadAllAsync(stream.Token))
                {
                    held = batch;
                    await slots.WaitAsync(stream.Token);
                    unanswered.Enqueue((batch, Stopwatch.GetTimestamp()));
                    held = null;
                    await call.RequestStream.WriteAsync(batch.Request, stream.Token);
                }

                await call.RequestStream.CompleteAsync();
                await reader;
                return;
            }
            catch (Exception error)
            {
                await stream.CancelAsync();
                Exception? readerError = await FailureOf(reader);
                // The phase was aborted (another stream gave up) or the user pressed Ctrl+C: whatever the call
                // threw (gRPC reports its own cancellation as RpcException), end as cancelled.
                abort.Token.ThrowIfCancellationRequested();

                Exception cause = readerError ?? error;
                lock (_gate)
                {
                    _streamFailures++;
                    foreach ((RevenueBatch batch, _) in unanswered)
                    {
                        Resend(batch);
                    }

                    if (held is not null)
                    {
                        Resend(held);
                    }
                }

                int lost = unanswered.Count + (held is null ? 0 : 1);
                _samples.Add($"IngestRevenue stream broke ({Describe(cause)}); {lost} unanswered batch(es) go to the next round");
                if (failures >= MaxStreamFailures)
                {
                    lock (_gate)
                    {
                        _abortReason ??= $"an IngestRevenue stream broke {failures} times; last: {Describe(cause)}";
                    }

                    await abort.CancelAsync();
                    return;
                }

                await Task.Delay(TimeSpan.FromSeconds(failures), abort.Token); // let a restarting silo come back
            }
        }
    }

    private async Task ReadAnswersAsync(AsyncDuplexStreamingCall<RecordRevenueRequest, RecordRevenueResponse> call,
        ConcurrentQueue<(RevenueBatch Batch, long SentAt)> unanswered, SemaphoreSlim slots, int round, CancellationTokenSource stream)
    {
        try
        {
            await foreach (RecordRevenueResponse response in call.ResponseStream.ReadAllAsync(stream.Token))
            {
                if (!unanswered.TryDequeue(out var sent))
                {
                    throw new InvalidOperationException("IngestRevenue answered more batches than were sent");
                }

                Record(sent.Batch, response, round, Stopwatch.GetElapsedTime(sent.SentAt).TotalMilliseconds);
                slots.Release();
            }

            if (!unanswered.IsEmpty)
            {
                throw new InvalidOperationException("IngestRevenue ended before answering every batch");
            }
        }
        catch
        {
            await stream.CancelAsync(); // unblocks the writer
            throw;
        }
    }

    /// <summary>Books one batch's answer: each result must name the event sent at its position.</summary>
    private void Record(RevenueBatch batch, RecordRevenueResponse response, int round, double latencyMs)
    {
        var events = batch.Request.Events;
        lock (_gate)
        {
            _lastAck = Stopwatch.GetTimestamp();
            _batchLatencies.Add(latencyMs);
            if (round == 0)
            {
                Interlocked.Add(ref _answered, events.Count);
            }

            for (int i = 0; i < events.Count; i++)
            {
                RevenueEvent sent = events[i];
                int number = batch.AccountNumbers[i];
                if (response.Results.Count != events.Count)
                {
                    Fail("WRONG_RESULT_COUNT", $"a batch of {events.Count} events got {response.Results.Count} results");
                    continue;
                }

                RevenueEventResult result = response.Results[i];
                if (result.EventId != sent.EventId || result.AccountId != sent.AccountId)
                {
                    Fail("RESULT_OUT_OF_ORDER", $"result {i} names {result.EventId} on {result.AccountId}, the event sent there is {sent.EventId} on {sent.AccountId}");
                    continue;
                }

                switch (result.Status)
                {
                    case RevenueEventStatus.Accepted:
                        _totals[number] += sent.AmountMinor;
                        Count("ACCEPTED");
                        break;
                    case RevenueEventStatus.Duplicate when round > 0:
                        _totals[number] += sent.AmountMinor; // the attempt that got no confirmation did store it
                        Count("DUPLICATE (resent, stored before)");
                        break;
                    case RevenueEventStatus.Duplicate when duplicatesExpected:
                        Count("DUPLICATE (earlier run)");
                        break;
                    case RevenueEventStatus.Rejected when result.ReasonCode == "UNAVAILABLE" && round < MaxResendRounds:
                        _resend.Add((sent, number));
                        break;
                    default:
                        string status = StatusName(result);
                        Fail(status, $"{sent.EventId} on {sent.AccountId}: {status} {result.Message}".TrimEnd());
                        break;
                }
            }
        }
    }

    private void Resend(RevenueBatch batch)
    {
        for (int i = 0; i < batch.Request.Events.Count; i++)
        {
            _resend.Add((batch.Request.Events[i], batch.AccountNumbers[i]));
        }
    }

    private void Count(string outcome) => _results[outcome] = _results.GetValueOrDefault(outcome) + 1;

    private void Fail(string outcome, string sample)
    {
        Count(outcome);
        _errors++;
        _samples.Add(sample);
    }

    private static string StatusName(RevenueEventResult result)
    {
        string status = result.Status switch
        {
            RevenueEventStatus.Accepted => "ACCEPTED",
            RevenueEventStatus.Duplicate => "DUPLICATE",
            RevenueEventStatus.Expired => "EXPIRED",
            RevenueEventStatus.Rejected => "REJECTED",
            _ => "UNSPECIFIED",
        };
        return result.ReasonCode.Length > 0 ? $"{status}/{result.ReasonCode}" : status;
    }

    private static async Task<Exception?> FailureOf(Task task)
    {
        try
        {
            await task;
            return null;
        }
        catch (Exception error)
        {
            return error is OperationCanceledException ? null : error;
        }
    }

    private static string Describe(Exception error) =>
        error is RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : error.Message;
}
