using System.Diagnostics;
using ActorCrm.Api.V1;
using ActorCrm.IntegrationTests.Api;
using ActorCrm.IntegrationTests.Infrastructure;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Xunit.Abstractions;

namespace ActorCrm.IntegrationTests.Durability;

/// <summary>
/// The tests that run several silo processes (and emulators) at once. They run alone, after the
/// parallel tests, so that on a small machine their timing is not at the mercy of the rest.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessClusterCollection
{
    public const string Name = "process clusters";
}

/// <summary>
/// A 3-silo cluster on Azure Storage (Azurite): kill -9 of one silo while revenue streams in loses
/// no acknowledged event and counts none twice, and every account is served again by the survivors.
/// </summary>
[Collection(ProcessClusterCollection.Name)]
public class FailoverTests(ITestOutputHelper output)
{
    private const int ActiveAccounts = 40;
    /// <summary>
    /// Accounts that get revenue only up to the batch during which silo 1 dies: for those that lived on
    /// silo 1 the last reports die in its pre-aggregator (and a resend of an event that was saved is a
    /// DUPLICATE, which reports nothing), so only reconciliation from the saved ledgers can bring them
    /// into the ranking.
    /// </summary>
    private const int QuietAccounts = 10;
    private const int Batches = 24;
    private const int BatchSize = 500;
    /// <summary>Silo 1 is killed while it is answering this batch (the client sends batch b to silo b mod 3, so batch 10 goes to silo 1).</summary>
    private const int KillDuringBatch = 10;
    private static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan AckLimit = TimeSpan.FromSeconds(120);

    private static readonly StatusCode[] Resendable =
        [StatusCode.Unavailable, StatusCode.DeadlineExceeded, StatusCode.Internal, StatusCode.Unknown, StatusCode.Cancelled];

    private static Dictionary<string, string> ClusterSettings(string ns, string clusterId) => new()
    {
        ["Storage:Provider"] = "AzureStorage",
        ["Storage:ConnectionString"] = Azurite.ConnectionString,
        ["Storage:Namespace"] = ns,
        ["Clustering:Provider"] = "AzureStorage",
        ["Orleans:ClusterId"] = clusterId,
        ["Orleans:ServiceId"] = "actorcrm-failover",
        // Fast failure detection for a test; two votes, so one busy survivor cannot evict a live silo on its own.
        ["Orleans:Membership:ProbeTimeout"] = "00:00:01",
        ["Orleans:Membership:NumMissedProbesLimit"] = "2",
        ["Orleans:Membership:NumVotesForDeathDeclaration"] = "2",
        ["Orleans:Membership:TableRefreshTimeout"] = "00:00:02",
        ["Orleans:Membership:IAmAliveTablePublishTimeout"] = "00:00:05",
        // Reports wait up to 3 s in each silo's pre-aggregator, so the kill surely catches the last
        // batches' reports unflushed in silo 1.
        ["Ranking:FlushIntervalMs"] = "3000",
        // Ranking activations and reconciliation sweeps are logged (Information), for the report below.
        ["Logging:LogLevel:ActorCrm.Grains.Ranking"] = "Information",
    };

    [Fact]
    public async Task Kill_9_of_one_of_three_silos_during_ingest_loses_no_acknowledged_revenue_and_every_account_is_served_again()
    {
        Azurite.EnsureRunning();
        var settings = ClusterSettings(Azurite.NewNamespace(), $"f{Guid.NewGuid():N}");
        var started = Stopwatch.StartNew();
        await using var silo0 = await SiloProcess.StartAsync(settings);
        await using var silo1 = await SiloProcess.StartAsync(settings);
        await using var silo2 = await SiloProcess.StartAsync(settings);
        SiloProcess[] silos = [silo0, silo1, silo2];
        output.WriteLine($"3 silos ready after {started.Elapsed.TotalSeconds:F1} s");
        try
        {
            await RunAsync(silos);
        }
        catch
        {
            for (var i = 0; i < silos.Length; i++)
            {
                var file = Path.Combine(Path.GetTempPath(), $"actorcrm-failover-silo{i}-{DateTime.UtcNow:HHmmss}.log");
                await File.WriteAllTextAsync(file, silos[i].Output);
                output.WriteLine($"---- silo {i} (gRPC {silos[i].GrpcPort}) output (all of it in {file}), last 20,000 chars:\n{Tail(silos[i].Output, 20_000)}");
            }
            throw;
        }
    }

    private async Task RunAsync(SiloProcess[] silos)
    {
        var (silo0, silo1, silo2) = (silos[0], silos[1], silos[2]);
        SiloProcess[] survivors = [silo0, silo2];

        var active = Enumerable.Range(0, ActiveAccounts).Select(i => $"a-{i:D2}").ToArray();
        var quiet = Enumerable.Range(0, QuietAccounts).Select(i => $"q-{i:D2}").ToArray();
        string[] accounts = [.. active, .. quiet];
        // Created through the silos in turn: Orleans places a new activation preferably on the silo that
        // asked for it, so about a third of the accounts live on silo 1 when it dies.
        for (var i = 0; i < accounts.Length; i++)
            await silos[i % 3].Accounts.CreateAccountAsync(new CreateAccountRequest { Account = AccountApiTests.NewAccount(accounts[i]) }, deadline: Deadline());

        // The events: deterministic amounts, all dated within the last 28 days, so all count.
        var random = new Random(20_261_127);
        var now = DateTimeOffset.UtcNow;
        var batches = Enumerable.Range(0, Batches).Select(b =>
        {
            var targets = b <= KillDuringBatch ? accounts : active;
            return Enumerable.Range(0, BatchSize).Select(i => new RevenueEvent
            {
                EventId = $"e-{b:D2}-{i:D3}",
                AccountId = targets[(i + b) % targets.Length],
                AmountMinor = random.NextInt64(1_00, 10_000_000_00),
                CurrencyCode = "CNY",
                OccurredAt = Timestamp.FromDateTimeOffset(now.AddMinutes(-random.Next(0, 28 * 24 * 60))),
            }).ToList();
        }).ToList();
        var events = batches.SelectMany(b => b).ToDictionary(e => e.EventId);

        var ingest = new Ingest(silos);
        Stopwatch? sinceKill = null;
        Task<TimeSpan>? served = null;
        var beforeKill = Stopwatch.StartNew();
        var logAtKill = new int[silos.Length];
        for (var b = 0; b < Batches; b++)
        {
            if (b != KillDuringBatch)
            {
                await ingest.SendAsync(batches[b], $"batch {b}", firstSilo: b % 3);
                continue;
            }

            // Kill silo 1 half-way through a batch it is answering (half the time an earlier batch took).
            var perBatch = beforeKill.Elapsed / b;
            var acknowledgedBefore = ingest.Acknowledged.Count;
            var inFlight = ingest.SendAsync(batches[b], $"batch {b}", firstSilo: 1);
            await Task.Delay(perBatch / 2);
            silo1.Kill();
            sinceKill = Stopwatch.StartNew();
            logAtKill = silos.Select(s => s.Output.Length).ToArray();
            served = Task.Run(() => EveryAccountServedAsync(survivors, accounts, sinceKill));
            output.WriteLine($"killed silo 1 (kill -9) {(perBatch / 2).TotalMilliseconds:F0} ms into batch {b} (a batch took {perBatch.TotalMilliseconds:F0} ms); " +
                             $"{acknowledgedBefore} events acknowledged before it");
            await inFlight;
        }
        var ingestDone = sinceKill!.Elapsed;
        var failover = await served!;

        output.WriteLine($"failover: every one of the {accounts.Length} accounts served by the survivors {failover.TotalSeconds:F1} s after the kill");
        output.WriteLine($"ingest: {events.Count} events in {Batches} batches, all acknowledged {ingestDone.TotalSeconds:F1} s after the kill; " +
                         $"{ingest.Calls} calls, failed calls by status: [{string.Join(", ", ingest.FailedCalls.Select(f => $"{f.Key}={f.Value}"))}], " +
                         $"events resent after a failed call: {ingest.ResentAfterFailedCall}, REJECTED/UNAVAILABLE results resent: {ingest.ResentUnavailable}, " +
                         $"final DUPLICATE acknowledgements: {ingest.Acknowledged.Values.Count(s => s == RevenueEventStatus.Duplicate)}");
        Assert.True(failover < TimeSpan.FromSeconds(90), $"the accounts were served again only after {failover}");

        // Every event was acknowledged (ACCEPTED or DUPLICATE): each is recorded exactly once.
        Assert.Equal(events.Count, ingest.Acknowledged.Count);
        var oracle = accounts.ToDictionary(a => a, _ => 0L);
        foreach (var id in ingest.Acknowledged.Keys) oracle[events[id].AccountId] += events[id].AmountMinor;
        var oracleTotal = oracle.Values.Sum();

        // The ranking converges on the oracle: reports lost with silo 1 are recovered from the saved ledgers.
        var converged = Stopwatch.StartNew();
        Dictionary<string, long> ranked = [];
        Concentration concentration = new();
        while (true)
        {
            var reader = survivors[(int)(converged.ElapsedMilliseconds / 500) % 2];
            try
            {
                ranked = await RankedTotalsAsync(reader);
                concentration = await reader.Ranking.GetConcentrationAsync(new GetConcentrationRequest(), deadline: Deadline());
                if (Matches(oracle, ranked) && concentration.TotalRevenueMinor == oracleTotal && concentration.AccountCount == accounts.Length) break;
            }
            catch (RpcException e) when (Resendable.Contains(e.StatusCode))
            {
                output.WriteLine($"ranking read failed ({e.StatusCode}); retrying");
            }
            if (converged.Elapsed > TimeSpan.FromSeconds(30)) break;
            await Task.Delay(250);
        }
        output.WriteLine($"ranking after ingest+{converged.Elapsed.TotalSeconds:F1} s: total {concentration.TotalRevenueMinor} (oracle {oracleTotal}), " +
                         $"account_count {concentration.AccountCount} (oracle {accounts.Length})");
        var wrong = accounts.Where(a => ranked.GetValueOrDefault(a) != oracle[a])
            .Select(a => $"{a}: ranked {ranked.GetValueOrDefault(a)}, acknowledged {oracle[a]} (diff {ranked.GetValueOrDefault(a) - oracle[a]}){Explain(a, ranked.GetValueOrDefault(a))}")
            .ToList();
        for (var i = 0; i < silos.Length; i++)
        {
            output.WriteLine($"silo {i} ranking log before the kill: {RankingLog(silos[i].Output[..logAtKill[i]])}");
            if (i != 1) output.WriteLine($"silo {i} ranking log after the kill: {RankingLog(silos[i].Output[logAtKill[i]..])}");
        }
        if (wrong.Count > 0)
            output.WriteLine($"not converged: {string.Join("; ", wrong)}; the ranked totals have not moved for the last {converged.Elapsed.TotalSeconds:F0} s");

        // Which batches the ranked total is made of, when it is a prefix of the account's batches (e.g. everything but the last batch before the kill).
        string Explain(string account, long rankedTotal)
        {
            long sum = 0;
            for (var b = 0; b < Batches; b++)
            {
                if (sum == rankedTotal) return $" = exactly its events of batches 0..{b - 1}, i.e. without batch {b}";
                sum += batches[b].Where(e => e.AccountId == account).Sum(e => e.AmountMinor);
            }
            return "";
        }
        Assert.True(wrong.Count == 0, $"{wrong.Count} accounts' window totals differ from their acknowledged events after 30 s:\n{string.Join("\n", wrong)}");
        Assert.Equal(oracleTotal, concentration.TotalRevenueMinor);
        Assert.Equal(oracleTotal.ToString(), concentration.TotalRevenueDecimal);
        Assert.Equal(accounts.Length, concentration.AccountCount);

        // The other survivor answers the same, account by account.
        foreach (var account in accounts)
        {
            var rank = await silo2.Ranking.GetAccountRankAsync(new GetAccountRankRequest { AccountId = account, Scope = RankingScope.Account }, deadline: Deadline());
            Assert.Equal(oracle[account], rank.RevenueMinor);
        }

        // Exactly once: every event sent again, through the survivors, is a DUPLICATE.
        var again = new Ingest(survivors);
        foreach (var batch in batches) await again.SendAsync(batch, "resend");
        var notDuplicate = again.Acknowledged.Where(a => a.Value != RevenueEventStatus.Duplicate).Select(a => a.Key).ToList();
        Assert.True(notDuplicate.Count == 0, $"{notDuplicate.Count} events were not DUPLICATE when sent again, e.g. {string.Join(", ", notDuplicate.Take(10))}");
        var after = await silo0.Ranking.GetConcentrationAsync(new GetConcentrationRequest(), deadline: Deadline());
        Assert.Equal(oracleTotal, after.TotalRevenueMinor);
    }

    /// <summary>Time from the kill until a GetAccount of every account has succeeded through the survivors.</summary>
    private async Task<TimeSpan> EveryAccountServedAsync(SiloProcess[] survivors, string[] accounts, Stopwatch sinceKill)
    {
        var remaining = new HashSet<string>(accounts);
        var failedOnce = new HashSet<string>();
        var errors = new Dictionary<string, string>();
        var round = 0;
        while (remaining.Count > 0)
        {
            if (sinceKill.Elapsed > TimeSpan.FromSeconds(120))
                Assert.Fail($"{remaining.Count} accounts not served 120 s after the kill: " +
                            string.Join("; ", remaining.Select(a => $"{a}: {errors.GetValueOrDefault(a)}")));
            // Every remaining account at once, each round through the other survivor.
            var silo = survivors[round++ % survivors.Length];
            var results = await Task.WhenAll(remaining.Select(async account =>
            {
                try
                {
                    await silo.Accounts.GetAccountAsync(new GetAccountRequest { AccountId = account }, deadline: DateTime.UtcNow.AddSeconds(5));
                    return (account, Error: (string?)null);
                }
                catch (RpcException e)
                {
                    return (account, Error: $"{e.StatusCode} {e.Status.Detail}");
                }
            }));
            foreach (var (account, error) in results)
            {
                if (error is null)
                {
                    remaining.Remove(account);
                    continue;
                }
                failedOnce.Add(account);
                errors[account] = error;
            }
            if (remaining.Count > 0) await Task.Delay(100);
        }
        var elapsed = sinceKill.Elapsed;
        output.WriteLine($"{failedOnce.Count} accounts were unavailable for a while after the kill (presumably their grains were on silo 1): {string.Join(", ", failedOnce.Order())}");
        return elapsed;
    }

    private static async Task<Dictionary<string, long>> RankedTotalsAsync(SiloProcess silo)
    {
        var totals = new Dictionary<string, long>();
        var token = "";
        do
        {
            var page = await silo.Ranking.ListTopAccountsAsync(new ListTopAccountsRequest { PageSize = 1000, PageToken = token }, deadline: Deadline());
            foreach (var row in page.Rows) totals[row.AccountId] = row.RevenueMinor;
            token = page.NextPageToken;
        } while (token.Length > 0);
        return totals;
    }

    private static bool Matches(Dictionary<string, long> oracle, Dictionary<string, long> ranked) =>
        ranked.Count == oracle.Count && oracle.All(o => ranked.GetValueOrDefault(o.Key) == o.Value);

    private static DateTime Deadline() => DateTime.UtcNow + CallDeadline;

    /// <summary>The ranking grains' activations and the reconciliation sweeps in a silo's log.</summary>
    private static string RankingLog(string log)
    {
        var all = log.Split('\n').Select(l => l.Trim()).ToList();
        var lines = all
            .Select((l, i) => (Line: l, Next: i + 1 < all.Count ? all[i + 1] : ""))
            .Where(l => l.Line.StartsWith("Ranking ", StringComparison.Ordinal) && (l.Line.Contains(" activated ") || l.Line.Contains("reconciliation")))
            .Select(l => l.Line.Contains("stopped") ? $"{l.Line} ({l.Next})" : l.Line) // a failed sweep: with its exception
            .ToList();
        return lines.Count == 0 ? "(none)" : string.Join(" | ", lines);
    }

    private static string Tail(string text, int chars) => text.Length <= chars ? text : text[^chars..];

    /// <summary>
    /// A client that sends each batch to the silos in turn and resends, with the same event ids, what
    /// was not acknowledged: a whole batch whose call failed, or the events answered REJECTED/UNAVAILABLE.
    /// </summary>
    private sealed class Ingest(SiloProcess[] silos)
    {
        private int _next;

        public Dictionary<string, RevenueEventStatus> Acknowledged { get; } = [];

        public Dictionary<StatusCode, int> FailedCalls { get; } = [];

        public int Calls { get; private set; }

        public int ResentAfterFailedCall { get; private set; }

        public int ResentUnavailable { get; private set; }

        public async Task SendAsync(IReadOnlyList<RevenueEvent> events, string label, int? firstSilo = null)
        {
            if (firstSilo is { } first) _next = first;
            var pending = events.ToList();
            var clock = Stopwatch.StartNew();
            while (pending.Count > 0)
            {
                if (clock.Elapsed > AckLimit)
                    Assert.Fail($"{label}: {pending.Count} events still not acknowledged after {AckLimit}; failed calls so far: " +
                                string.Join(", ", FailedCalls.Select(f => $"{f.Key}={f.Value}")));
                var silo = silos[_next++ % silos.Length];
                RecordRevenueResponse response;
                Calls++;
                try
                {
                    response = await silo.Revenue.RecordRevenueAsync(new RecordRevenueRequest { Events = { pending } }, deadline: Deadline());
                }
                catch (RpcException e) when (Resendable.Contains(e.StatusCode))
                {
                    FailedCalls[e.StatusCode] = FailedCalls.GetValueOrDefault(e.StatusCode) + 1;
                    ResentAfterFailedCall += pending.Count;
                    await Task.Delay(100);
                    continue;
                }

                Assert.Equal(pending.Count, response.Results.Count);
                var again = new List<RevenueEvent>();
                for (var i = 0; i < pending.Count; i++)
                {
                    var (sent, result) = (pending[i], response.Results[i]);
                    Assert.Equal(sent.EventId, result.EventId);
                    switch (result.Status)
                    {
                        case RevenueEventStatus.Accepted or RevenueEventStatus.Duplicate:
                            Acknowledged[sent.EventId] = result.Status;
                            break;
                        case RevenueEventStatus.Rejected when result.ReasonCode == "UNAVAILABLE":
                            again.Add(sent);
                            break;
                        default:
                            Assert.Fail($"{label}: event {sent.EventId} of {sent.AccountId} came back {result.Status} {result.ReasonCode}: {result.Message}");
                            break;
                    }
                }
                if (again.Count > 0)
                {
                    ResentUnavailable += again.Count;
                    await Task.Delay(100);
                }
                pending = again;
            }
        }
    }
}
