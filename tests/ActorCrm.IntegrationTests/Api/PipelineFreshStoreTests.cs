using ActorCrm.Api.V1;
using ActorCrm.Grains;
using ActorCrm.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ActorCrm.IntegrationTests.Api;

/// <summary>A silo of its own on an empty store.</summary>
public sealed class FreshStoreSiloFactory : SiloFactory;

/// <summary>
/// On a fresh store the pipeline partitions know at silo start that there is nothing to backfill, so
/// accounts imported before any opportunity are never woken by a backfill (at a million accounts that
/// would be a million activations).
/// </summary>
public class PipelineFreshStoreTests(FreshStoreSiloFactory silo) : IClassFixture<FreshStoreSiloFactory>
{
    [Fact]
    public async Task An_opportunity_after_a_bulk_of_accounts_wakes_no_other_account()
    {
        // The silo woke the partitions before taking requests (PipelineStartup); they found no account.
        var grains = silo.Services.GetRequiredService<IGrainFactory>();
        await Task.WhenAll(Enumerable.Range(0, PipelinePartitions.Count).Select(p => grains.GetGrain<IPipelinePartitionGrain>(p).StartAsync()));
        var ids = Enumerable.Range(0, 64).Select(i => Ids.New($"fresh{i}")).ToList();
        foreach (var id in ids) await silo.Accounts.CreateAccountAsync(new CreateAccountRequest { Account = AccountApiTests.NewAccount(id) });

        var management = grains.GetGrain<IManagementGrain>(0);
        var accountType = grains.GetGrain<IAccountGrain>(ids[0]).GetGrainId().Type;
        for (var attempt = 0; attempt < 50 && (await management.GetActiveGrains(accountType)).Count > 0; attempt++)
        {
            await management.ForceActivationCollection(TimeSpan.Zero);
            await Task.Delay(100);
        }
        Assert.Empty(await management.GetActiveGrains(accountType));

        await silo.Opportunities.CreateOpportunityAsync(new CreateOpportunityRequest { Opportunity = ContactAndOpportunityApiTests.NewOpportunity(ids[0], "opp-f") });
        var summary = await silo.Opportunities.GetPipelineSummaryAsync(new GetPipelineSummaryRequest { All = true });
        Assert.Equal(1, summary.OpenCount);

        await Task.Delay(TimeSpan.FromSeconds(2)); // a backfill would start a second after its partition's activation
        var active = await management.GetActiveGrains(accountType);
        Assert.Equal([grains.GetGrain<IAccountGrain>(ids[0]).GetGrainId()], active);
    }
}
