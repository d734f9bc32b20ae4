using ActorCrm.Api.V1;
using ActorCrm.IntegrationTests.Infrastructure;
using Google.Protobuf.WellKnownTypes;

namespace ActorCrm.IntegrationTests.Api;

/// <summary>A silo of its own: the top rows cover every account of the silo.</summary>
public sealed class TopRowsSiloFactory : SiloFactory;

/// <summary>ListTopAccounts rows carry the account's name and tier as the ranking last heard them (reported with every profile change).</summary>
public class TopAccountRowsTests(TopRowsSiloFactory silo) : IClassFixture<TopRowsSiloFactory>
{
    [Fact]
    public async Task Rows_show_the_current_listing_of_each_account()
    {
        var big = Ids.New("big");
        var small = Ids.New("small");
        var created = await silo.Accounts.CreateAccountAsync(new CreateAccountRequest { Account = AccountApiTests.NewAccount(big, tier: StrategicTier.NationalHq) });
        await silo.Accounts.CreateAccountAsync(new CreateAccountRequest { Account = AccountApiTests.NewAccount(small) });
        var at = Timestamp.FromDateTimeOffset(silo.Clock.GetUtcNow());
        await silo.Revenue.RecordRevenueAsync(new RecordRevenueRequest
        {
            Events =
            {
                new RevenueEvent { AccountId = big, EventId = "e1", AmountMinor = 900, CurrencyCode = "CNY", OccurredAt = at },
                new RevenueEvent { AccountId = small, EventId = "e1", AmountMinor = 100, CurrencyCode = "CNY", OccurredAt = at },
            },
        });
        await silo.Accounts.UpdateAccountAsync(new UpdateAccountRequest
        {
            Account = new Account { AccountId = big, Etag = created.Etag, DisplayName = "华岳铁路工程股份有限公司" },
            UpdateMask = new FieldMask { Paths = { "display_name" } },
        });

        ListTopAccountsResponse top = null!;
        for (var attempt = 0; attempt < 50; attempt++)
        {
            top = await silo.Ranking.ListTopAccountsAsync(new ListTopAccountsRequest { PageSize = 10 });
            if (top.Rows.Count == 2 && top.Rows[0].DisplayName == "华岳铁路工程股份有限公司") break;
            await Task.Delay(100);
        }
        Assert.Equal([big, small], top.Rows.Select(r => r.AccountId));
        Assert.Equal("华岳铁路工程股份有限公司", top.Rows[0].DisplayName);
        Assert.Equal(StrategicTier.NationalHq, top.Rows[0].Tier);
        Assert.Equal(AccountApiTests.NewAccount(small).DisplayName, top.Rows[1].DisplayName);
    }
}
