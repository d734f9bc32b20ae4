using ActorCrm.Grains.Ranking;
using ActorCrm.Silo.Api;
using Proto = ActorCrm.Api.V1;

namespace ActorCrm.IntegrationTests.Api;

public class RecentRepliesTests
{
    [Fact]
    public async Task A_reply_is_shared_for_its_max_age_per_key_and_a_failed_fetch_is_not_reused()
    {
        var recent = new RecentReplies<RankingScope, Proto.Concentration>();
        var fetches = 0;
        Task<Proto.Concentration> Fetch() { fetches++; return Task.FromResult(new Proto.Concentration { AccountCount = fetches }); }

        var first = await recent.GetAsync(RankingScope.Account, Fetch);
        Assert.Same(first, await recent.GetAsync(RankingScope.Account, Fetch));
        Assert.NotSame(first, await recent.GetAsync(RankingScope.Group, Fetch)); // each key its own
        Assert.Equal(2, fetches);

        await Task.Delay(RecentReplies<RankingScope, Proto.Concentration>.MaxAge + TimeSpan.FromMilliseconds(20));
        Assert.Equal(3, (await recent.GetAsync(RankingScope.Account, Fetch)).AccountCount);

        await Task.Delay(RecentReplies<RankingScope, Proto.Concentration>.MaxAge + TimeSpan.FromMilliseconds(20));
        await Assert.ThrowsAsync<InvalidOperationException>(() => recent.GetAsync(RankingScope.Account, () => Task.FromException<Proto.Concentration>(new InvalidOperationException())));
        Assert.Equal(4, (await recent.GetAsync(RankingScope.Account, Fetch)).AccountCount);
    }

    [Fact]
    public async Task Stale_replies_are_dropped_once_many_are_held()
    {
        var recent = new RecentReplies<string, Proto.AccountRank>();
        for (var i = 0; i < RecentReplies<string, Proto.AccountRank>.PruneAbove; i++)
            await recent.GetAsync($"a-{i}", () => Task.FromResult(new Proto.AccountRank()));
        Assert.Equal(RecentReplies<string, Proto.AccountRank>.PruneAbove, recent.Count);

        await Task.Delay(RecentReplies<string, Proto.AccountRank>.MaxAge + TimeSpan.FromMilliseconds(20));
        await recent.GetAsync("fresh", () => Task.FromResult(new Proto.AccountRank()));
        Assert.Equal(1, recent.Count);
    }
}
