using ActorCrm.Api.V1;
using ActorCrm.IntegrationTests.Infrastructure;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace ActorCrm.IntegrationTests.Api;

[Collection(SiloCollection.Name)]
public class RevenueIngestTests(SiloFactory silo)
{
    private static RevenueEvent Event(string account, string id, long amount, DateTimeOffset at) => new()
    {
        AccountId = account, EventId = id, AmountMinor = amount, CurrencyCode = "CNY", OccurredAt = Timestamp.FromDateTimeOffset(at),
    };

    private Task CreateAccountAsync(string id) =>
        silo.Accounts.CreateAccountAsync(new CreateAccountRequest { Account = AccountApiTests.NewAccount(id) }).ResponseAsync;

    [Fact]
    public async Task ListRevenueEvents_pages_the_events_inside_the_window_in_id_order()
    {
        var account = Ids.New("list");
        await CreateAccountAsync(account);
        var now = silo.Clock.GetUtcNow();
        await silo.Revenue.RecordRevenueAsync(new RecordRevenueRequest
        {
            Events = { new[] { "e-3", "e-1", "e-5", "e-2", "e-4" }.Select((id, i) => Event(account, id, 100 * (i + 1), now.AddDays(-i))) },
        });

        var ids = new List<string>();
        var request = new ListRevenueEventsRequest { AccountId = account, PageSize = 2 };
        var pages = 0;
        do
        {
            var page = await silo.Revenue.ListRevenueEventsAsync(request);
            Assert.All(page.Events, e => Assert.Equal(("CNY", account), (e.CurrencyCode, e.AccountId)));
            ids.AddRange(page.Events.Select(e => e.EventId));
            request.PageToken = page.NextPageToken;
            pages++;
        } while (request.PageToken.Length > 0);

        Assert.Equal(["e-1", "e-2", "e-3", "e-4", "e-5"], ids);
        Assert.Equal(3, pages);
        var first = (await silo.Revenue.ListRevenueEventsAsync(new ListRevenueEventsRequest { AccountId = account, PageSize = 1 })).Events.Single();
        Assert.Equal((200L, now.AddDays(-1)), (first.AmountMinor, first.OccurredAt.ToDateTimeOffset()));

        await ApiAssert.FailsWith(StatusCode.NotFound, () => silo.Revenue.ListRevenueEventsAsync(new ListRevenueEventsRequest { AccountId = Ids.New("nobody") }));
        await ApiAssert.InvalidField("account_id", () => silo.Revenue.ListRevenueEventsAsync(new ListRevenueEventsRequest { AccountId = "" }));
    }

    [Fact]
    public async Task Ingest_acknowledges_each_batch_in_order_and_resending_counts_nothing_twice()
    {
        var p = Ids.New("ing");
        await CreateAccountAsync($"{p}-a");
        await CreateAccountAsync($"{p}-b");
        var now = silo.Clock.GetUtcNow();
        var batches = Enumerable.Range(0, 5).Select(b => new RecordRevenueRequest
        {
            Events = { Enumerable.Range(0, 200).Select(i => Event(i % 2 == 0 ? $"{p}-a" : $"{p}-b", $"e-{b}-{i}", 1_00 + i, now.AddMinutes(-i))) },
        }).ToList();

        using (var call = silo.Revenue.IngestRevenue())
        {
            foreach (var batch in batches) await call.RequestStream.WriteAsync(batch);
            await call.RequestStream.CompleteAsync();
            var acks = 0;
            await foreach (var ack in call.ResponseStream.ReadAllAsync())
            {
                Assert.Equal(batches[acks].Events.Select(e => e.EventId), ack.Results.Select(r => r.EventId));
                Assert.All(ack.Results, r => Assert.Equal(RevenueEventStatus.Accepted, r.Status));
                acks++;
            }
            Assert.Equal(5, acks);
        }

        // A client that lost its acks resends everything: all duplicates.
        var again = await silo.Revenue.RecordRevenueAsync(batches[3]);
        Assert.All(again.Results, r => Assert.Equal(RevenueEventStatus.Duplicate, r.Status));
    }
}
