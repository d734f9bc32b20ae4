using ActorCrm.Api;
using ActorCrm.Api.V1;
using ActorCrm.IntegrationTests.Api;
using ActorCrm.IntegrationTests.Infrastructure;
using Grpc.Core;

namespace ActorCrm.IntegrationTests.Security;

public sealed class FewStreamsSiloFactory : SiloFactory
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["RateLimits:MaxStreamsPerCaller"] = "3" };
}

/// <summary>Per-caller limits answer RESOURCE_EXHAUSTED (a status gRPC clients understand), then let the caller back in.</summary>
public class AbuseTests(FewStreamsSiloFactory silo) : IClassFixture<FewStreamsSiloFactory>
{
    [Fact]
    public async Task A_caller_over_its_rate_gets_resource_exhausted_and_others_are_not_affected()
    {
        using var limited = silo.ChannelAs(ActorCrmCredentials.ApiKey(TestKeys.Limited));
        var ranking = new RankingService.RankingServiceClient(limited);
        var statuses = await Task.WhenAll(Enumerable.Range(0, 200).Select(async _ =>
        {
            try
            {
                await ranking.GetConcentrationAsync(new GetConcentrationRequest());
                return StatusCode.OK;
            }
            catch (RpcException error)
            {
                return error.StatusCode;
            }
        }));
        Assert.Contains(StatusCode.OK, statuses);
        Assert.Contains(StatusCode.ResourceExhausted, statuses);
        Assert.All(statuses, s => Assert.True(s is StatusCode.OK or StatusCode.ResourceExhausted, s.ToString()));
        Assert.InRange(statuses.Count(s => s == StatusCode.OK), 1, 100); // 20/s with a 2 s burst, not 200

        // The admin's budget is its own (unlimited), and the limited caller gets back in after a pause.
        await silo.Ranking.GetConcentrationAsync(new GetConcentrationRequest());
        await Task.Delay(1_000);
        await ranking.GetConcentrationAsync(new GetConcentrationRequest());
    }

    [Fact]
    public async Task A_caller_can_hold_only_so_many_streams_open()
    {
        using var director = silo.ChannelAs(ActorCrmCredentials.ApiKey(TestKeys.Director));
        var ranking = new RankingService.RankingServiceClient(director);
        var open = new List<AsyncServerStreamingCall<ConcentrationUpdate>>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var call = ranking.WatchConcentration(new WatchConcentrationRequest());
                open.Add(call);
                Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            }
            await ApiAssert.StreamFailsWith(StatusCode.ResourceExhausted, () => ranking.WatchConcentration(new WatchConcentrationRequest()));

            // Another caller is not affected; closing a stream frees a place.
            await FirstAsync(silo.Ranking.WatchConcentration(new WatchConcentrationRequest()));
            open[0].Dispose();
            open.RemoveAt(0);
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    await FirstAsync(ranking.WatchConcentration(new WatchConcentrationRequest()));
                    break;
                }
                catch (RpcException error) when (error.StatusCode == StatusCode.ResourceExhausted && attempt < 20)
                {
                    await Task.Delay(100); // the server sees the cancellation a moment later
                }
            }
        }
        finally
        {
            foreach (var call in open) call.Dispose();
        }
    }

    private static async Task FirstAsync(AsyncServerStreamingCall<ConcentrationUpdate> call)
    {
        using (call) Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
    }
}
