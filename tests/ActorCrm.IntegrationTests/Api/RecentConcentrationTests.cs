using ActorCrm.Grains.Ranking;
using ActorCrm.Silo.Api;
using Proto = ActorCrm.Api.V1;

namespace ActorCrm.IntegrationTests.Api;

public class RecentConcentrationTests
{
    [Fact]
    public async Task A_reply_is_shared_for_its_max_age_per_scope_and_a_failed_fetch_is_not_reused()
    {
        var recent = new RecentConcentration();
        var fetches = 0;
        Task<Proto.Concentration> Fetch() { fetches++; return Task.FromResult(new Proto.Concentration { AccountCount = fetches }); }

        var first = await recent.GetAsync(RankingScope.Account, Fetch);
        Assert.Same(first, await recent.GetAsync(RankingScope.Account, Fetch));
        Assert.NotSame(first, await recent.GetAsync(RankingScope.Group, Fetch)); // each scope its own
        Assert.Equal(2, fetches);

        await Task.Delay(RecentConcentration.MaxAge + TimeSpan.FromMilliseconds(20));
        Assert.Equal(3, (await recent.GetAsync(RankingScope.Account, Fetch)).AccountCount);

        await Task.Delay(RecentConcentration.MaxAge + TimeSpan.FromMilliseconds(20));
        await Assert.ThrowsAsync<InvalidOperationException>(() => recent.GetAsync(RankingScope.Account, () => Task.FromException<Proto.Concentration>(new InvalidOperationException())));
        Assert.Equal(4, (await recent.GetAsync(RankingScope.Account, Fetch)).AccountCount);
    }
}
