using System.Diagnostics;
using ActorCrm.Api;
using ActorCrm.Api.V1;
using ActorCrm.IntegrationTests.Api;
using ActorCrm.IntegrationTests.Infrastructure;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client.Web;

namespace ActorCrm.IntegrationTests.Watching;

/// <summary>On a silo of its own, so the figures move only with what these tests do.</summary>
public class WatchConcentrationTests(SiloFactory silo) : IClassFixture<SiloFactory>
{
    private StreamReader<ConcentrationUpdate> Watch(int minIntervalMs = 0, int topLimit = 0, params AlertThreshold[] thresholds) =>
        new(silo.Ranking.WatchConcentration(new WatchConcentrationRequest { MinIntervalMs = minIntervalMs, TopLimit = topLimit, AlertThresholds = { thresholds } }));

    private async Task<string> AccountWithRevenueAsync(string prefix, long amount)
    {
        var id = Ids.New(prefix);
        await silo.Accounts.CreateAccountAsync(new CreateAccountRequest { Account = AccountApiTests.NewAccount(id) });
        await RecordAsync(id, "inv-1", amount);
        return id;
    }

    private Task RecordAsync(string accountId, string eventId, long amount) =>
        silo.Revenue.RecordRevenueAsync(new RecordRevenueRequest
        {
            Events = { new RevenueEvent { AccountId = accountId, EventId = eventId, AmountMinor = amount, CurrencyCode = "CNY", OccurredAt = Timestamp.FromDateTimeOffset(silo.Clock.GetUtcNow()) } },
        }).ResponseAsync;

    [Fact]
    public async Task The_first_message_is_current_and_new_revenue_arrives_with_named_top_rows()
    {
        await using var stream = Watch(topLimit: 3);
        var first = await stream.NextAsync(TimeSpan.FromSeconds(5));
        Assert.NotNull(first.Concentration);

        var id = await AccountWithRevenueAsync("top", 9_000_000_000_00);
        // Typically within the ranking's flush plus min_interval_ms; the bound is loose because the CI
        // machine runs other tests on the same 2 cores (speed is the benchmarks' business).
        var moved = await stream.NextWhereAsync(u => u.TopAccounts.Any(r => r.AccountId == id), TimeSpan.FromSeconds(5));
        var row = moved.TopAccounts.Single(r => r.AccountId == id);
        Assert.Equal(1, row.Rank);
        Assert.Equal(AccountApiTests.NewAccount(id).DisplayName, row.DisplayName);
        Assert.True(moved.TopAccounts.Count <= 3);
        Assert.Equal(first.Concentration.AccountCount + 1, moved.Concentration.AccountCount);
    }

    [Fact]
    public async Task Many_changes_within_min_interval_are_coalesced_into_few_messages_the_last_one_current()
    {
        await using var stream = Watch(minIntervalMs: 1000);
        var first = await stream.NextAsync(TimeSpan.FromSeconds(5));
        var expected = first.Concentration.AccountCount;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 20; i++)
        {
            await AccountWithRevenueAsync("burst", 1_000 + i);
            expected++;
            await Task.Delay(25);
        }
        var changesTook = clock.Elapsed;

        var last = await stream.NextWhereAsync(u => u.Concentration.AccountCount == expected, TimeSpan.FromSeconds(5));
        var received = stream.All.Count;
        // 20 changes spread over changesTook, at most one message per second after the first.
        Assert.True(received <= 2 + (int)Math.Ceiling(changesTook.TotalSeconds),
            $"{received} messages for 20 changes in {changesTook.TotalSeconds:F1} s with min_interval_ms=1000");
        Assert.Equal(expected, last.Concentration.AccountCount);
        Assert.True(await stream.QuietForAsync(TimeSpan.FromMilliseconds(1500)), "no message without a change");
    }

    [Fact]
    public async Task Alerts_fire_when_a_threshold_is_crossed_upwards_and_again_downwards()
    {
        var a = await AccountWithRevenueAsync("alert", 5_000);
        while ((await silo.Ranking.GetAccountRankAsync(new GetAccountRankRequest { AccountId = a })).Rank == 0) await Task.Delay(20);
        var count = (await silo.Ranking.GetConcentrationAsync(new GetConcentrationRequest())).AccountCount;
        var threshold = count + 1; // one more account reaches it

        await using var stream = Watch(minIntervalMs: 10, thresholds: new AlertThreshold { Metric = "account_count", Value = threshold });
        var first = await stream.NextAsync(TimeSpan.FromSeconds(5));
        Assert.Empty(first.Alerts);

        var b = await AccountWithRevenueAsync("alert", 7_000);
        var rising = await stream.NextWhereAsync(u => u.Alerts.Count > 0, TimeSpan.FromSeconds(2));
        var up = Assert.Single(rising.Alerts);
        Assert.Equal(("account_count", AlertDirection.Rising, (double)threshold), (up.Metric, up.Direction, up.Threshold));
        Assert.Equal(threshold, up.Value);
        Assert.NotNull(up.At);

        await RecordAsync(b, "credit-1", -7_000); // a full credit note: b has no positive revenue any more
        var falling = await stream.NextWhereAsync(u => u.Alerts.Count > 0, TimeSpan.FromSeconds(2));
        var down = Assert.Single(falling.Alerts);
        Assert.Equal(AlertDirection.Falling, down.Direction);
        Assert.Equal(threshold - 1, down.Value);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public async Task Bad_requests_name_the_field()
    {
        await ApiAssert.StreamInvalidField("min_interval_ms", () => silo.Ranking.WatchConcentration(new WatchConcentrationRequest { MinIntervalMs = -1 }));
        await ApiAssert.StreamInvalidField("top_limit", () => silo.Ranking.WatchConcentration(new WatchConcentrationRequest { TopLimit = 101 }));
        await ApiAssert.StreamInvalidField("alert_thresholds[0].metric",
            () => silo.Ranking.WatchConcentration(new WatchConcentrationRequest { AlertThresholds = { new AlertThreshold { Metric = "revenue", Value = 1 } } }));
        await ApiAssert.StreamInvalidField("scope", () => silo.Ranking.WatchConcentration(new WatchConcentrationRequest { Scope = (RankingScope)9 }));
    }

    [Fact]
    public async Task A_grpc_web_client_receives_the_stream()
    {
        using var channel = ActorCrmChannel.Create(silo.Server.BaseAddress.ToString(), new GrpcWebHandler(GrpcWebMode.GrpcWebText, silo.Server.CreateHandler()), TestKeys.AdminCredentials);
        var client = new RankingService.RankingServiceClient(channel);
        await using var stream = new StreamReader<ConcentrationUpdate>(client.WatchConcentration(new WatchConcentrationRequest { TopLimit = 5 }));
        var first = await stream.NextAsync(TimeSpan.FromSeconds(5));
        var id = await AccountWithRevenueAsync("web", 8_000_000_000_00);
        await stream.NextWhereAsync(u => u.Concentration.AccountCount == first.Concentration.AccountCount + 1);

        var accounts = new AccountService.AccountServiceClient(channel);
        await using var account = new StreamReader<AccountEvent>(accounts.WatchAccount(new WatchAccountRequest { AccountId = id }));
        Assert.Equal(8_000_000_000_00, (await account.NextAsync(TimeSpan.FromSeconds(5))).RevenueWindowTotalMinor);
    }
}
