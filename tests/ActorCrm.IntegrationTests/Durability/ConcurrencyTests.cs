using ActorCrm.Api.V1;
using ActorCrm.IntegrationTests.Api;
using ActorCrm.IntegrationTests.Infrastructure;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace ActorCrm.IntegrationTests.Durability;

/// <summary>The in-process host on Azure Storage (Azurite), a namespace of its own.</summary>
public sealed class AzureSiloFactory : SiloFactory
{
    public AzureSiloFactory() => Azurite.EnsureRunning();

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Storage:Provider"] = "AzureStorage",
        ["Storage:ConnectionString"] = Azurite.ConnectionString,
        ["Storage:Namespace"] = Namespace,
    };

    public string Namespace { get; } = Azurite.NewNamespace();
}

public class ConcurrencyTests(AzureSiloFactory silo) : IClassFixture<AzureSiloFactory>
{
    [Fact]
    public async Task Twenty_concurrent_updates_with_one_etag_exactly_one_wins_and_none_is_lost()
    {
        var id = Ids.New("race");
        var created = await silo.Accounts.CreateAccountAsync(new CreateAccountRequest { Account = AccountApiTests.NewAccount(id) });

        var attempts = Enumerable.Range(0, 20).Select(async i =>
        {
            try
            {
                var updated = await silo.Accounts.UpdateAccountAsync(new UpdateAccountRequest
                {
                    Account = new Account { AccountId = id, Etag = created.Etag, Region = $"区域{i}" },
                    UpdateMask = new FieldMask { Paths = { "region" } },
                });
                return (Region: $"区域{i}", Etag: updated.Etag, Code: StatusCode.OK);
            }
            catch (RpcException e)
            {
                return (Region: "", Etag: "", Code: e.StatusCode);
            }
        }).ToList();
        var results = await Task.WhenAll(attempts);

        var winner = Assert.Single(results, r => r.Code == StatusCode.OK);
        Assert.All(results.Where(r => r.Code != StatusCode.OK), r => Assert.Equal(StatusCode.Aborted, r.Code));
        var stored = await silo.Accounts.GetAccountAsync(new GetAccountRequest { AccountId = id });
        Assert.Equal(winner.Region, stored.Region);
        Assert.Equal(winner.Etag, stored.Etag);
    }

    [Fact]
    public async Task Concurrent_revenue_for_one_account_is_counted_exactly_once()
    {
        var id = Ids.New("busy");
        await silo.Accounts.CreateAccountAsync(new CreateAccountRequest { Account = AccountApiTests.NewAccount(id) });
        var now = silo.Clock.GetUtcNow();
        // 20 clients send overlapping batches: every event id is sent by two of them.
        var sends = Enumerable.Range(0, 20).Select(client => silo.Revenue.RecordRevenueAsync(new RecordRevenueRequest
        {
            Events =
            {
                Enumerable.Range(0, 10).Select(i => (client * 5 + i) % 100).Select(n => new RevenueEvent
                {
                    EventId = $"inv-{n}", AccountId = id, AmountMinor = 100 + n, CurrencyCode = "CNY", OccurredAt = Timestamp.FromDateTimeOffset(now.AddMinutes(-n)),
                }),
            },
        }).ResponseAsync);
        var responses = await Task.WhenAll(sends);
        var accepted = responses.SelectMany(r => r.Results).Where(r => r.Status == RevenueEventStatus.Accepted).Select(r => r.EventId).ToList();
        Assert.Equal(accepted.Distinct().Count(), accepted.Count);
        Assert.Equal(100, accepted.Count);

        AccountRank rank = null!;
        for (var i = 0; i < 150; i++) // the ranking converges within a flush or two; a loaded CI machine with Azurite can take seconds
        {
            rank = await silo.Ranking.GetAccountRankAsync(new GetAccountRankRequest { AccountId = id });
            if (rank.RevenueMinor == Enumerable.Range(0, 100).Sum(n => 100L + n)) break;
            await Task.Delay(100);
        }
        Assert.Equal(Enumerable.Range(0, 100).Sum(n => 100L + n), rank.RevenueMinor);
    }
}
