using ActorCrm.Api.V1;
using ActorCrm.IntegrationTests.Api;
using ActorCrm.IntegrationTests.Infrastructure;
using Google.Protobuf.WellKnownTypes;

namespace ActorCrm.IntegrationTests.Watching;

/// <summary>Two silos in one cluster (Azure Table membership on Azurite): a stream on either silo sees changes made through either.</summary>
public class CrossSiloWatchTests
{
    [Fact]
    public async Task Streams_on_both_silos_get_changes_made_through_either_whichever_silo_holds_the_grain()
    {
        var settings = TwoSilos.Settings("actorcrm-watch", "w");
        await using var silo0 = await SiloProcess.StartAsync(settings);
        await using var silo1 = await SiloProcess.StartAsync(settings);

        // Several accounts, so some live on each silo; each is watched through both.
        var ids = Enumerable.Range(0, 4).Select(i => Ids.New($"x{i}")).ToArray();
        foreach (var id in ids) await silo0.Accounts.CreateAccountAsync(new CreateAccountRequest { Account = AccountApiTests.NewAccount(id) });
        var streams = ids.SelectMany(id => new[] { silo0, silo1 }.Select(s => (Id: id, Reader: new StreamReader<AccountEvent>(s.Accounts.WatchAccount(new WatchAccountRequest { AccountId = id })))))
            .ToArray();
        await using var concentration0 = new StreamReader<ConcentrationUpdate>(silo0.Ranking.WatchConcentration(new WatchConcentrationRequest { MinIntervalMs = 50 }));
        await using var concentration1 = new StreamReader<ConcentrationUpdate>(silo1.Ranking.WatchConcentration(new WatchConcentrationRequest { MinIntervalMs = 50 }));
        try
        {
            foreach (var (_, reader) in streams) await reader.NextAsync(TimeSpan.FromSeconds(10));
            await concentration0.NextAsync(TimeSpan.FromSeconds(10));
            await concentration1.NextAsync(TimeSpan.FromSeconds(10));

            // Revenue through silo 1 for every account: both silos' account streams and both concentration streams see it.
            var now = DateTimeOffset.UtcNow;
            await silo1.Revenue.RecordRevenueAsync(new RecordRevenueRequest
            {
                Events = { ids.Select((id, i) => new RevenueEvent { AccountId = id, EventId = "e1", AmountMinor = 1_000 * (i + 1), CurrencyCode = "CNY", OccurredAt = Timestamp.FromDateTimeOffset(now) }) },
            });
            foreach (var (id, reader) in streams)
            {
                var expected = 1_000 * (Array.IndexOf(ids, id) + 1);
                await reader.NextWhereAsync(e => e.RevenueWindowTotalMinor == expected, TimeSpan.FromSeconds(2));
            }
            await concentration0.NextWhereAsync(u => u.Concentration.AccountCount == ids.Length, TimeSpan.FromSeconds(3));
            await concentration1.NextWhereAsync(u => u.Concentration.AccountCount == ids.Length, TimeSpan.FromSeconds(3));
        }
        finally
        {
            foreach (var (_, reader) in streams) await reader.DisposeAsync();
        }
    }
}
