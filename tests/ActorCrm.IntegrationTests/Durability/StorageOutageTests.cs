using System.Collections.Concurrent;
using System.Diagnostics;
using ActorCrm.Api.V1;
using ActorCrm.IntegrationTests.Api;
using ActorCrm.IntegrationTests.Infrastructure;
using Azure;
using Azure.Storage.Blobs;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Xunit.Abstractions;

namespace ActorCrm.IntegrationTests.Durability;

/// <summary>
/// Storage freezes (kill -STOP of a private Azurite) for ~10 s while a client keeps writing: calls
/// end as UNAVAILABLE within their deadline, nothing acknowledged is lost, the silo heals by itself
/// once storage answers again, and what it serves is what storage holds (a fresh silo reads the same).
/// </summary>
[Collection(ProcessClusterCollection.Name)]
public class StorageOutageTests(ITestOutputHelper output)
{
    /// <summary>
    /// Accounts 0-1 only get profile updates, 2-3 only revenue, 4-7 both (their calls queue behind each
    /// other's storage requests). After the resume 4-7 get no new revenue, only the resends: what the
    /// ranking serves for them must come from the writes made before and during the outage.
    /// </summary>
    private const int AccountCount = 8;
    private static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(15);
    /// <summary>A call may take its deadline plus this before it counts as hanging (the client's own cancellation is not instant).</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(1.5);
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(10);

    private sealed record Call(string Kind, string AccountId, TimeSpan Start, TimeSpan Elapsed, StatusCode Code, string Detail)
    {
        public TimeSpan End => Start + Elapsed;
    }

    /// <summary>One account's update writer: the last acknowledged version and the names written since without acknowledgement.</summary>
    private sealed class Updater(string accountId, Ack created)
    {
        public string AccountId { get; } = accountId;

        public Ack LastAck { get; set; } = created;

        public string? Etag { get; set; } = created.Account.Etag;

        public List<string> Uncertain { get; } = [];

        public int AbortedAfterUncertain { get; set; }
    }

    private sealed record Ack(Account Account)
    {
        public long Version => VersionOf(Account.Etag);
    }

    [Fact]
    public async Task A_storage_outage_ends_calls_as_UNAVAILABLE_within_their_deadline_loses_nothing_acknowledged_and_the_silo_heals_by_itself()
    {
        await using var azurite = await PrivateAzurite.StartAsync();
        var settings = new Dictionary<string, string>
        {
            ["Storage:Provider"] = "AzureStorage",
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:Namespace"] = Azurite.NewNamespace(),
            ["Storage:TimeoutSeconds"] = "2",
            ["Ranking:PersistIntervalMs"] = "1000",
            ["Orleans:ServiceId"] = "actorcrm-outage",
            ["Orleans:ClusterId"] = $"o{Guid.NewGuid():N}",
        };
        var silos = new List<SiloProcess>();
        try
        {
            silos.Add(await SiloProcess.StartAsync(settings));
            await RunAsync(azurite, silos, settings);
        }
        catch
        {
            foreach (var (silo, i) in silos.Select((s, i) => (s, i)))
            {
                var file = Path.Combine(Path.GetTempPath(), $"actorcrm-storage-outage-silo{i}-{DateTime.UtcNow:HHmmss}.log");
                await File.WriteAllTextAsync(file, silo.Output);
                output.WriteLine($"---- silo {i} output (all of it in {file}), last 20,000 chars:\n{Tail(silo.Output, 20_000)}");
            }
            output.WriteLine($"---- azurite output:\n{Tail(azurite.Output, 5_000)}");
            throw;
        }
        finally
        {
            foreach (var silo in silos) await silo.DisposeAsync();
        }
    }

    private async Task RunAsync(PrivateAzurite azurite, List<SiloProcess> silos, Dictionary<string, string> settings)
    {
        var silo = silos[0];
        var accounts = Enumerable.Range(0, AccountCount).Select(i => $"acct-{i}").ToArray();
        var lastAck = new Dictionary<string, Ack>();
        foreach (var id in accounts)
            lastAck[id] = new Ack(await silo.Accounts.CreateAccountAsync(new CreateAccountRequest { Account = AccountApiTests.NewAccount(id) }, deadline: Deadline()));

        var now = DateTimeOffset.UtcNow;
        var sent = new ConcurrentDictionary<string, RevenueEvent>();
        var acknowledged = new ConcurrentDictionary<string, RevenueEventStatus>();
        var lateDuplicates = new ConcurrentQueue<RevenueEvent>(); // answered UNAVAILABLE once, DUPLICATE on a resend: the "failed" write had landed
        var eventNumber = 0;
        RevenueEvent NewEvent(string account, Random random)
        {
            var e = new RevenueEvent
            {
                EventId = $"r-{Interlocked.Increment(ref eventNumber):D5}", AccountId = account, AmountMinor = random.NextInt64(1_00, 50_000_000_00),
                CurrencyCode = "CNY", OccurredAt = Timestamp.FromDateTimeOffset(now.AddMinutes(-random.Next(0, 20 * 24 * 60))),
            };
            sent[e.EventId] = e;
            return e;
        }

        var seed = new Random(7);
        var initial = await silo.Revenue.RecordRevenueAsync(new RecordRevenueRequest { Events = { accounts.SelectMany(a => Enumerable.Range(0, 10).Select(_ => NewEvent(a, seed))) } }, deadline: Deadline());
        Assert.All(initial.Results, r => Assert.Equal(RevenueEventStatus.Accepted, r.Status));
        foreach (var r in initial.Results) acknowledged[r.EventId] = r.Status;

        var clock = Stopwatch.StartNew();
        var calls = new ConcurrentQueue<Call>();
        using var stop = new CancellationTokenSource();
        TimeSpan? pausedAt = null, resumedAt = null;

        // ---- per account, two writers: profile updates, and revenue. The account grain serves one call at a
        // time, so a call may wait for the other writer's call before its own storage request starts.
        var updaters = accounts.Select(id => new Updater(id, lastAck[id])).ToArray();
        var updating = updaters.Where((_, i) => i is < 2 or >= 4).ToArray();
        var earning = accounts.Where((_, i) => i >= 2).ToArray();
        var resendOnlyAfterResume = accounts.Where((_, i) => i >= 4).ToHashSet();
        var resumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var updates = updating.Select(u => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                if (u.Etag is null)
                {
                    var readStart = clock.Elapsed;
                    try
                    {
                        var read = await silo.Accounts.GetAccountAsync(new GetAccountRequest { AccountId = u.AccountId }, deadline: Deadline());
                        calls.Enqueue(new Call("read", u.AccountId, readStart, clock.Elapsed - readStart, StatusCode.OK, ""));
                        u.Etag = read.Etag;
                    }
                    catch (RpcException e)
                    {
                        calls.Enqueue(new Call("read", u.AccountId, readStart, clock.Elapsed - readStart, e.StatusCode, e.Status.Detail));
                        await Task.Delay(100);
                        continue;
                    }
                }

                var name = $"四川省澄岷交通运输事务中心 v{n}";
                var start = clock.Elapsed;
                try
                {
                    var updated = await silo.Accounts.UpdateAccountAsync(new UpdateAccountRequest
                    {
                        Account = new Account { AccountId = u.AccountId, Etag = u.Etag, DisplayName = name },
                        UpdateMask = new FieldMask { Paths = { "display_name" } },
                    }, deadline: Deadline());
                    calls.Enqueue(new Call("update", u.AccountId, start, clock.Elapsed - start, StatusCode.OK, ""));
                    Assert.Equal(name, updated.DisplayName);
                    u.LastAck = new Ack(updated);
                    u.Uncertain.Clear();
                    u.Etag = updated.Etag;
                }
                catch (RpcException e)
                {
                    calls.Enqueue(new Call("update", u.AccountId, start, clock.Elapsed - start, e.StatusCode, e.Status.Detail));
                    if (e.StatusCode == StatusCode.Aborted && u.Uncertain.Count > 0) u.AbortedAfterUncertain++;
                    // UNAVAILABLE: the write may or may not have landed; remember the name. Either way re-read the etag before the next one.
                    if (e.StatusCode != StatusCode.Aborted) u.Uncertain.Add(name);
                    u.Etag = null;
                    await Task.Delay(100);
                }
                await Task.Delay(50);
            }
        })).ToArray();

        var pending = new ConcurrentQueue<RevenueEvent>(); // answered UNAVAILABLE (or lost with a failed call), to resend
        var everUnavailable = new ConcurrentDictionary<string, bool>();
        var revenue = earning.Select((id, i) => Task.Run(async () =>
        {
            var random = new Random(100 + i);
            var mine = new List<RevenueEvent>();
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var quiet = resumed.Task.IsCompleted && resendOnlyAfterResume.Contains(id);
                if (quiet && mine.Count == 0) break;
                var batch = mine.Concat(Enumerable.Range(0, quiet ? 0 : 4).Select(_ => NewEvent(id, random))).ToList();
                mine = [];
                var start = clock.Elapsed;
                try
                {
                    var response = await silo.Revenue.RecordRevenueAsync(new RecordRevenueRequest { Events = { batch } }, deadline: Deadline());
                    var unavailable = 0;
                    foreach (var (e, r) in batch.Zip(response.Results))
                    {
                        Assert.Equal(e.EventId, r.EventId);
                        if (r.Status is RevenueEventStatus.Accepted or RevenueEventStatus.Duplicate)
                        {
                            acknowledged[e.EventId] = r.Status;
                            if (r.Status == RevenueEventStatus.Duplicate && everUnavailable.ContainsKey(e.EventId)) lateDuplicates.Enqueue(e);
                        }
                        else if (r.Status == RevenueEventStatus.Rejected && r.ReasonCode == "UNAVAILABLE")
                        {
                            unavailable++;
                            everUnavailable[e.EventId] = true;
                            mine.Add(e);
                        }
                        else Assert.Fail($"event {e.EventId} of {e.AccountId} came back {r.Status} {r.ReasonCode}: {r.Message}");
                    }
                    calls.Enqueue(new Call("revenue", id, start, clock.Elapsed - start, StatusCode.OK,
                        unavailable == 0 ? "" : $"{unavailable} of {batch.Count} REJECTED/UNAVAILABLE"));
                }
                catch (RpcException e)
                {
                    calls.Enqueue(new Call("revenue", id, start, clock.Elapsed - start, e.StatusCode, e.Status.Detail));
                    foreach (var ev in batch) everUnavailable[ev.EventId] = true;
                    mine = batch;
                    await Task.Delay(100);
                }
                await Task.Delay(50);
            }
            foreach (var e in mine) pending.Enqueue(e);
        })).ToArray();
        var writers = updates.Concat(revenue).ToArray();

        // ---- the outage
        await Task.Delay(TimeSpan.FromSeconds(3));
        pausedAt = clock.Elapsed;
        azurite.Pause();
        output.WriteLine($"azurite paused at {pausedAt.Value.TotalSeconds:F1} s");

        // Reads of accounts not in memory need storage: during the outage they too end as UNAVAILABLE.
        using var outageOver = new CancellationTokenSource(Outage);
        var coldReads = Task.Run(async () =>
        {
            for (var n = 0; !outageOver.IsCancellationRequested; n++)
            {
                var start = clock.Elapsed;
                try
                {
                    await silo.Accounts.GetAccountAsync(new GetAccountRequest { AccountId = $"cold-{n}" }, deadline: Deadline());
                    calls.Enqueue(new Call("cold-read", $"cold-{n}", start, clock.Elapsed - start, StatusCode.OK, ""));
                }
                catch (RpcException e)
                {
                    calls.Enqueue(new Call("cold-read", $"cold-{n}", start, clock.Elapsed - start, e.StatusCode, e.Status.Detail));
                }
            }
        });
        await Task.Delay(Outage);
        azurite.Resume();
        resumedAt = clock.Elapsed;
        resumed.SetResult();
        output.WriteLine($"azurite resumed at {resumedAt.Value.TotalSeconds:F1} s");

        // The silo heals by itself: writes succeed again without a restart.
        bool Recovered() =>
            calls.Any(c => c.Kind == "update" && c.Code == StatusCode.OK && c.Start >= resumedAt) &&
            calls.Any(c => c.Kind == "revenue" && c.Code == StatusCode.OK && c.Detail.Length == 0 && c.Start >= resumedAt);
        while (!Recovered() && clock.Elapsed - resumedAt < TimeSpan.FromSeconds(60) && !writers.Any(w => w.IsFaulted))
            await Task.Delay(100);
        var recovery = clock.Elapsed - resumedAt.Value;
        await Task.Delay(TimeSpan.FromSeconds(3)); // some more acknowledged writes after the recovery
        stop.Cancel();
        await Task.WhenAll(writers.Append(coldReads));

        var log = calls.OrderBy(c => c.Start).ToList();
        foreach (var phase in new[] { ("before", TimeSpan.Zero, pausedAt.Value), ("paused", pausedAt.Value, resumedAt.Value), ("after", resumedAt.Value, TimeSpan.MaxValue) })
        {
            var inPhase = log.Where(c => c.Start >= phase.Item2 && c.Start < phase.Item3).ToList();
            output.WriteLine($"{phase.Item1}: " + string.Join(", ", inPhase.GroupBy(c => (c.Kind, c.Code, Partial: c.Detail.Contains("REJECTED")))
                .Select(g => $"{g.Key.Kind} {g.Key.Code}{(g.Key.Partial ? " (with REJECTED/UNAVAILABLE)" : "")} ×{g.Count()} (max {g.Max(c => c.Elapsed).TotalSeconds:F1} s)")));
        }
        output.WriteLine("calls from 1 s before the pause to 1 s after the resume (start, duration):");
        foreach (var c in log.Where(c => c.Start >= pausedAt - TimeSpan.FromSeconds(1) && c.Start < resumedAt + TimeSpan.FromSeconds(1)))
            output.WriteLine($"  {c.Start.TotalSeconds,6:F2} {c.Elapsed.TotalSeconds,5:F2} s {c.Kind,-7} {c.AccountId} {c.Code} {c.Detail}");
        output.WriteLine($"recovered {recovery.TotalSeconds:F1} s after resume; {lateDuplicates.Count} events answered UNAVAILABLE were DUPLICATE on resend (the write had landed); " +
                         $"{updaters.Sum(u => u.AbortedAfterUncertain)} updates ABORTED after an unconfirmed write");

        Assert.True(Recovered(), $"no acknowledged write within 60 s after storage came back:\n{string.Join("\n", log.Where(c => c.Start >= resumedAt))}");

        // No call hangs: each ends within its deadline, and storage trouble ends it as UNAVAILABLE.
        var hung = log.Where(c => c.Elapsed > CallDeadline + Slack || c.Code == StatusCode.DeadlineExceeded).ToList();
        Assert.True(hung.Count == 0, $"{hung.Count} calls ran into their {CallDeadline.TotalSeconds} s deadline:\n{string.Join("\n", hung)}");
        var unexpected = log.Where(c => c.Kind == "cold-read"
            ? c.Code is not (StatusCode.NotFound or StatusCode.Unavailable)
            : c.Code is not (StatusCode.OK or StatusCode.Unavailable or StatusCode.Aborted)).ToList();
        Assert.True(unexpected.Count == 0, $"{unexpected.Count} calls failed otherwise than UNAVAILABLE:\n{string.Join("\n", unexpected)}");
        Assert.All(log.Where(c => c.Code == StatusCode.Aborted), c => Assert.Equal("update", c.Kind)); // only after an unconfirmed write landed
        Assert.True(updaters.Sum(u => u.AbortedAfterUncertain) == log.Count(c => c.Code == StatusCode.Aborted), "an update was ABORTED without an unconfirmed write before it");
        var duringOutage = log.Where(c => c.Start < resumedAt && c.End > pausedAt).ToList(); // calls that met the frozen storage
        // Not required of updates: an update's profile write waits in its profile partition's group commit,
        // and one queued behind an append in flight can outlast a short outage and succeed (durably, and
        // within its deadline: both checked above). Revenue and cold reads must show UNAVAILABLE.
        Assert.Contains(duringOutage, c => c.Kind == "revenue" && (c.Code == StatusCode.Unavailable || c.Detail.Contains("UNAVAILABLE")));
        Assert.Contains(duringOutage, c => c.Kind == "cold-read" && c.Code == StatusCode.Unavailable);

        // Every event answered UNAVAILABLE is resent (same ids) until acknowledged.
        var resend = Stopwatch.StartNew();
        var toResend = pending.ToList();
        while (toResend.Count > 0)
        {
            Assert.True(resend.Elapsed < TimeSpan.FromSeconds(60), $"{toResend.Count} events still unacknowledged 60 s after the writers stopped");
            var response = await silo.Revenue.RecordRevenueAsync(new RecordRevenueRequest { Events = { toResend } }, deadline: Deadline());
            var again = new List<RevenueEvent>();
            foreach (var (e, r) in toResend.Zip(response.Results))
            {
                if (r.Status is RevenueEventStatus.Accepted or RevenueEventStatus.Duplicate)
                {
                    acknowledged[e.EventId] = r.Status;
                    if (r.Status == RevenueEventStatus.Duplicate) lateDuplicates.Enqueue(e);
                }
                else if (r.ReasonCode == "UNAVAILABLE") again.Add(e);
                else Assert.Fail($"event {e.EventId} came back {r.Status} {r.ReasonCode}: {r.Message}");
            }
            toResend = again;
            if (toResend.Count > 0) await Task.Delay(200);
        }
        Assert.Equal(sent.Count, acknowledged.Count);
        output.WriteLine($"{sent.Count} events sent, all acknowledged; {lateDuplicates.Count} of them as DUPLICATE after an UNAVAILABLE answer");

        // Every acknowledged update is what is served (or, after an unconfirmed write, that write).
        foreach (var u in updaters)
        {
            var read = ApiAssert.WithoutRankingFigures(await silo.Accounts.GetAccountAsync(new GetAccountRequest { AccountId = u.AccountId }, deadline: Deadline()));
            var ack = u.LastAck with { Account = ApiAssert.WithoutRankingFigures(u.LastAck.Account) };
            if (u.Uncertain.Count == 0) Assert.Equal(ack.Account, read);
            else
                Assert.True(read.Equals(ack.Account) || (VersionOf(read.Etag) > ack.Version && u.Uncertain.Contains(read.DisplayName)),
                    $"{u.AccountId}: served {read.Etag} '{read.DisplayName}', last acknowledged {ack.Account.Etag} '{ack.Account.DisplayName}', unconfirmed since: {string.Join(", ", u.Uncertain)}");
        }

        // The rankings save their books again: a save that storage never confirmed (it may have landed
        // late) must not leave them failing on a stale etag. One more event, then both blobs change.
        var rankingBlobs = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient($"{settings["Storage:Namespace"].ToLowerInvariant()}-state");
        var before = await RankingBlobEtagsAsync(rankingBlobs);
        var last = NewEvent(earning[0], new Random(1));
        var lastResult = await silo.Revenue.RecordRevenueAsync(new RecordRevenueRequest { Events = { last } }, deadline: Deadline());
        Assert.Equal(RevenueEventStatus.Accepted, lastResult.Results[0].Status);
        acknowledged[last.EventId] = RevenueEventStatus.Accepted;
        var saved = Stopwatch.StartNew();
        var after = await RankingBlobEtagsAsync(rankingBlobs);
        while (after.Zip(before).Any(p => p.First == p.Second) && saved.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(250);
            after = await RankingBlobEtagsAsync(rankingBlobs);
        }
        output.WriteLine($"ranking blobs after the last event: {string.Join(", ", before.Zip(after).Select(p => $"{p.First} -> {p.Second}"))} ({saved.Elapsed.TotalSeconds:F1} s)");
        Assert.True(after.Zip(before).All(p => p.First != p.Second),
            $"the rankings did not save their books within 20 s of a new event after the outage (ETags {string.Join(", ", before)} unchanged)");

        // Every acknowledged event counts exactly once.
        var oracle = accounts.ToDictionary(a => a, a => acknowledged.Keys.Where(e => sent[e].AccountId == a).Sum(e => sent[e].AmountMinor));
        var ranks = await WaitForRanksAsync(silo, oracle, TimeSpan.FromSeconds(30));
        var wrong = accounts.Where(a => ranks[a] != oracle[a]).ToList();
        Assert.True(wrong.Count == 0, "window totals differ from the acknowledged events after 30 s:\n" + string.Join("\n", wrong.Select(a =>
            $"{a}: ranked {ranks[a]}, acknowledged {oracle[a]} (diff {ranks[a] - oracle[a]}); events answered UNAVAILABLE then DUPLICATE: " +
            $"{lateDuplicates.Where(e => e.AccountId == a).Sum(e => e.AmountMinor)} in {lateDuplicates.Count(e => e.AccountId == a)} events")));
        var concentration = await silo.Ranking.GetConcentrationAsync(new GetConcentrationRequest(), deadline: Deadline());
        Assert.Equal(oracle.Values.Sum(), concentration.TotalRevenueMinor);
        Assert.Equal(AccountCount, concentration.AccountCount);
        var duplicates = await silo.Revenue.RecordRevenueAsync(new RecordRevenueRequest { Events = { sent.Values } }, deadline: Deadline());
        Assert.All(duplicates.Results, r => Assert.Equal(RevenueEventStatus.Duplicate, r.Status));

        // What is served is what is stored: kill -9, a fresh silo on the same store serves the same.
        var servedAccounts = (await silo.Accounts.ListAccountsAsync(new ListAccountsRequest { PageSize = 100, View = AccountListView.Full }, deadline: Deadline())).Accounts.ToList();
        Assert.Equal(AccountCount, servedAccounts.Count);
        silo.Kill();
        var fresh = await SiloProcess.StartAsync(settings);
        silos.Add(fresh);
        var storedAccounts = (await fresh.Accounts.ListAccountsAsync(new ListAccountsRequest { PageSize = 100, View = AccountListView.Full }, deadline: Deadline())).Accounts.ToList();
        // Rank, class and share of wallet come from the rankings, which catch up on their own (checked next).
        Assert.Equal(servedAccounts.Select(ApiAssert.WithoutRankingFigures), storedAccounts.Select(ApiAssert.WithoutRankingFigures));
        var storedRanks = await WaitForRanksAsync(fresh, ranks, TimeSpan.FromSeconds(30));
        Assert.Equal(ranks, storedRanks);
        var storedConcentration = await fresh.Ranking.GetConcentrationAsync(new GetConcentrationRequest(), deadline: Deadline());
        storedConcentration.AsOf = concentration.AsOf;
        Assert.Equal(concentration, storedConcentration);
        var storedDuplicates = await fresh.Revenue.RecordRevenueAsync(new RecordRevenueRequest { Events = { sent.Values } }, deadline: Deadline());
        Assert.All(storedDuplicates.Results, r => Assert.Equal(RevenueEventStatus.Duplicate, r.Status));
        var first = servedAccounts[0];
        var next = await fresh.Accounts.UpdateAccountAsync(new UpdateAccountRequest
        {
            Account = new Account { AccountId = first.AccountId, Etag = first.Etag, Region = "广东省" },
            UpdateMask = new FieldMask { Paths = { "region" } },
        }, deadline: Deadline());
        Assert.Equal(VersionOf(first.Etag) + 1, VersionOf(next.Etag));
    }

    /// <summary>Each account's window total as ranked, polled until it equals <paramref name="expected"/> or the time is up.</summary>
    private static async Task<Dictionary<string, long>> WaitForRanksAsync(SiloProcess silo, Dictionary<string, long> expected, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var ranks = new Dictionary<string, long>();
            foreach (var id in expected.Keys)
                ranks[id] = (await silo.Ranking.GetAccountRankAsync(new GetAccountRankRequest { AccountId = id, Scope = RankingScope.Account }, deadline: Deadline())).RevenueMinor;
            if (expected.All(e => ranks[e.Key] == e.Value) || clock.Elapsed > limit) return ranks;
            await Task.Delay(250);
        }
    }

    /// <summary>The ETags of the two rankings' saved books (account and group scope), null where none is saved yet.</summary>
    private static async Task<string?[]> RankingBlobEtagsAsync(BlobContainerClient container) =>
        await Task.WhenAll(new[] { "ranking-ranking/account.json", "ranking-ranking/group.json" }.Select(async name =>
        {
            try
            {
                return (string?)(await container.GetBlobClient(name).GetPropertiesAsync()).Value.ETag.ToString();
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                return null;
            }
        }));

    private static long VersionOf(string etag) => long.Parse(etag.Trim('"'));

    private static DateTime Deadline() => DateTime.UtcNow + CallDeadline;

    private static string Tail(string text, int chars) => text.Length <= chars ? text : text[^chars..];
}
