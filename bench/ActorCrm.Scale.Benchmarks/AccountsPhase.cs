using System.Diagnostics;
using ActorCrm.Api.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace ActorCrm.Scale.Benchmarks;

/// <summary>What the accounts phase did.</summary>
public sealed record AccountsResult(
    long Created, long Existing, long Errors, long Resent, double Seconds, double[] LatenciesMs, IReadOnlyList<string> ErrorSamples);

/// <summary>
/// Creates every planned account, in batches of <c>createBatch</c> with AccountService.BatchCreateAccounts
/// (or, with 0, one AccountService.CreateAccount call each), at most <c>concurrency</c> calls in
/// flight, spread over the channels: first all top-level accounts, then (once they all exist) all
/// children. ALREADY_EXISTS counts as "existing", so a second run against a filled silo works.
/// A create answered UNAVAILABLE is sent again (up to <see cref="MaxRounds"/> rounds, as an importer
/// would: the API says to retry); one that had landed after all then counts as existing.
/// Each create's latency (its batch's, when batching) is kept by account number, so the first and
/// the last 10 % can be compared.
/// </summary>
public sealed class AccountsPhase(IReadOnlyList<GrpcChannel> channels, int createBatch, int concurrency, Action<string> progress)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);
    private const int MaxRounds = 5;
    private readonly ErrorSamples _samples = new();
    private long _resent;
    private long _created;
    private long _existing;
    private long _errors;

    public async Task<AccountsResult> RunAsync(AccountPlan plan, CancellationToken cancel)
    {
        var clients = channels.Select(channel => new AccountService.AccountServiceClient(channel)).ToArray();
        var latencies = new double[plan.Count]; // index = number − 1 = creation order
        long start = Stopwatch.GetTimestamp();
        using var ticker = Progress.Every(TimeSpan.FromSeconds(5), () =>
        {
            long done = Interlocked.Read(ref _created) + Interlocked.Read(ref _existing) + Interlocked.Read(ref _errors);
            progress($"accounts: {done:N0}/{plan.Count:N0} ({done / Stopwatch.GetElapsedTime(start).TotalSeconds:N0}/s)");
        });

        var options = new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancel };
        // Wave 1: top-level accounts; wave 2: children, whose parents all exist by then.
        foreach ((int first, int count) in new[] { (1, plan.TopLevelCount), (plan.TopLevelCount + 1, plan.ChildCount) })
        {
            if (createBatch > 0)
            {
                await Parallel.ForEachAsync(Enumerable.Range(first, count).Chunk(createBatch).Select((numbers, i) => (numbers, i)), options, async (batch, ct) =>
                {
                    long sent = Stopwatch.GetTimestamp();
                    await CreateBatchAsync(clients[batch.i % clients.Length], batch.numbers.Select(n => plan[n]).ToList(), ct);
                    foreach (int number in batch.numbers) latencies[number - 1] = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                });
                continue;
            }
            await Parallel.ForEachAsync(Enumerable.Range(first, count), options, async (number, ct) =>
            {
                long sent = Stopwatch.GetTimestamp();
                await CreateAsync(clients[number % clients.Length], plan[number], ct);
                latencies[number - 1] = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
            });
        }

        return new AccountsResult(_created, _existing, _errors, _resent, Stopwatch.GetElapsedTime(start).TotalSeconds, latencies, _samples.ToList());
    }

    private async Task CreateBatchAsync(AccountService.AccountServiceClient client, IReadOnlyList<PlannedAccount> batch, CancellationToken cancel)
    {
        for (int round = 1; batch.Count > 0; round++)
        {
            var request = new BatchCreateAccountsRequest();
            request.Requests.AddRange(batch.Select(planned => new CreateAccountRequest { Account = ToAccount(planned) }));
            var again = new List<PlannedAccount>();
            try
            {
                var response = await client.BatchCreateAccountsAsync(request, deadline: DateTime.UtcNow + CallTimeout, cancellationToken: cancel);
                for (int i = 0; i < batch.Count; i++)
                {
                    var status = (StatusCode)response.Results[i].Status.Code;
                    if (status == StatusCode.OK) Interlocked.Increment(ref _created);
                    else if (status == StatusCode.AlreadyExists) Interlocked.Increment(ref _existing);
                    else if (status == StatusCode.Unavailable && round < MaxRounds) again.Add(batch[i]);
                    else
                    {
                        Interlocked.Increment(ref _errors);
                        _samples.Add($"{batch[i].Id}: {status}: {response.Results[i].Status.Message}");
                    }
                }
            }
            catch (RpcException error) when (!cancel.IsCancellationRequested)
            {
                Interlocked.Add(ref _errors, batch.Count);
                _samples.Add($"batch of {batch.Count} from {batch[0].Id}: {error.StatusCode}: {error.Status.Detail}");
            }

            Interlocked.Add(ref _resent, again.Count);
            batch = again;
            if (batch.Count > 0) await Task.Delay(TimeSpan.FromSeconds(round), cancel);
        }
    }

    private async Task CreateAsync(AccountService.AccountServiceClient client, PlannedAccount planned, CancellationToken cancel)
    {
        var account = ToAccount(planned);
        try
        {
            await client.CreateAccountAsync(new CreateAccountRequest { Account = account },
                deadline: DateTime.UtcNow + CallTimeout, cancellationToken: cancel);
            Interlocked.Increment(ref _created);
        }
        catch (RpcException error) when (error.StatusCode == StatusCode.AlreadyExists)
        {
            Interlocked.Increment(ref _existing);
        }
        catch (RpcException error) when (!cancel.IsCancellationRequested)
        {
            Interlocked.Increment(ref _errors);
            _samples.Add($"{planned.Id}: {error.StatusCode}: {error.Status.Detail}");
        }
    }

    private static Account ToAccount(PlannedAccount planned) => new()
    {
        AccountId = planned.Id,
        DisplayName = planned.DisplayName,
        Kind = AccountKind.Business,
        Tier = planned.Tier,
        ParentAccountId = planned.ParentId,
        Owner = $"u-sales-{planned.Number % 50:D2}",
        Industry = (planned.Number % 3) switch { 0 => "铁路", 1 => "公路", _ => "市政" },
        Region = (planned.Number % 4) switch { 0 => "华北", 1 => "华东", 2 => "四川省", _ => "广东省" },
    };
}
