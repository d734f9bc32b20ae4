using ActorCrm.Domain.Revenue;
using ActorCrm.Grains;
using ActorCrm.IntegrationTests.Infrastructure;

namespace ActorCrm.IntegrationTests.Grains;

[Collection(ClusterCollection.Name)]
public class LedgerGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_failed_ledger_write_accepts_nothing_and_a_resend_counts_once()
    {
        var id = Ids.New("ledger");
        var account = fixture.Grains.GetGrain<IAccountGrain>(id);
        await account.CreateAsync(AccountGrainTests.NewAccount(id));
        var now = fixture.Clock.GetUtcNow();
        RevenueEntry[] batch = [new("inv-1", 1000, now), new("inv-2", 500, now.AddDays(-2))];

        fixture.Storage.FailWritesFor(id);
        try
        {
            var failed = await account.RecordRevenueAsync(batch);
            Assert.All(failed, o => Assert.Equal(RevenueReasons.Unavailable, o.ReasonCode));
            Assert.Equal(0, await account.GetRevenueTotalAsync());
        }
        finally
        {
            fixture.Storage.Heal(id);
        }

        var accepted = await account.RecordRevenueAsync(batch);
        Assert.All(accepted, o => Assert.Equal(RevenueStatus.Accepted, o.Status));
        var resent = await account.RecordRevenueAsync(batch);
        Assert.All(resent, o => Assert.Equal(RevenueStatus.Duplicate, o.Status));
        Assert.Equal(1500, await account.GetRevenueTotalAsync());
    }

    [Fact]
    public async Task An_unknown_account_rejects_its_events_and_is_not_created()
    {
        var id = Ids.New("ghost");
        var account = fixture.Grains.GetGrain<IAccountGrain>(id);
        var outcomes = await account.RecordRevenueAsync([new RevenueEntry("inv-1", 1000, fixture.Clock.GetUtcNow())]);
        Assert.Equal(RevenueReasons.UnknownAccount, Assert.Single(outcomes).ReasonCode);
        Assert.Empty((await account.GetRankingReportsAsync()).Revenue);
    }
}
