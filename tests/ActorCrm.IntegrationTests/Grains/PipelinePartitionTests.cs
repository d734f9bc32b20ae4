using ActorCrm.Domain.Model;
using ActorCrm.Domain.Pipeline;
using ActorCrm.Grains;
using ActorCrm.Grains.Accounts;
using ActorCrm.Grains.Pipeline;
using Orleans.Runtime;
using ActorCrm.IntegrationTests.Infrastructure;

namespace ActorCrm.IntegrationTests.Grains;

/// <summary>Pipeline partitions keep the newest row per account; accounts report after every write and retry a lost report.</summary>
[Collection(ClusterCollection.Name)]
public class PipelinePartitionTests(ClusterFixture fixture)
{
    private static PipelineRow Row(string accountId, long version, long amount) =>
        new(accountId, version, "u-owner", "", StrategicTier.NationalHq,
            amount == 0 ? [] : [new PipelineLine("CNY", OpportunityStatus.Open, Stage.Lead, "", 1, amount, amount / 2)]);

    private async Task<PipelineRow?> HeldAsync(string accountId) =>
        (await PipelinePartitions.QueryAsync(fixture.Grains, PipelineQuery.ForAccounts([accountId]))).SingleOrDefault();

    [Fact]
    public async Task The_newest_row_wins_so_repeats_and_stragglers_are_harmless()
    {
        var id = Ids.New("pp");
        var partition = PipelinePartitions.For(fixture.Grains, id);
        await partition.ReportAsync(Row(id, 5, 500));
        await partition.ReportAsync(Row(id, 3, 300)); // an older report arriving late
        await partition.ReportAsync(Row(id, 5, 500)); // a retry of the same
        Assert.Equal(500, (await HeldAsync(id))!.Lines[0].AmountMinor);

        await partition.ReportAsync(Row(id, 7, 0)); // no opportunities left (or the account deleted)
        Assert.Null(await HeldAsync(id));
        await partition.ReportAsync(Row(id, 6, 600)); // a straggler cannot bring it back
        Assert.Null(await HeldAsync(id));
        await partition.ReportAsync(Row(id, 8, 800));
        Assert.Equal(8, (await HeldAsync(id))!.Version);

        // Owner queries see it; all sees it.
        Assert.Contains(await PipelinePartitions.QueryAsync(fixture.Grains, PipelineQuery.ForOwner("u-owner")), r => r.AccountId == id);
        Assert.Contains(await PipelinePartitions.QueryAsync(fixture.Grains, PipelineQuery.All), r => r.AccountId == id);
    }

    [Fact]
    public async Task A_report_lost_to_a_storage_failure_is_retried_by_the_account_until_it_lands()
    {
        var id = Ids.New("pr");
        var account = fixture.Grains.GetGrain<IAccountGrain>(id);
        await account.CreateAsync(AccountGrainTests.NewAccount(id));
        var deal = ContactAndOpportunityGrainTests.NewOpportunity(id, "o1") with { AmountMinor = 1_000, ProbabilityPercent = 50, Status = OpportunityStatus.Open };

        var partition = PipelinePartitions.For(fixture.Grains, id).GetGrainId();
        PipelineRow? Saved() => fixture.Storage.Peek<PipelinePartitionState>("pipeline", partition)?.Rows.GetValueOrDefault(id);

        // The partition's own backfill (which would also save the row) is behind it.
        Assert.Null(await HeldAsync(id));
        for (var attempt = 0; attempt < 100 && fixture.Storage.Peek<PipelinePartitionState>("pipeline", partition) is not { Backfilled: true }; attempt++) await Task.Delay(100);

        fixture.Storage.FailWritesOfStates("pipeline");
        try
        {
            await account.CreateOpportunityAsync(deal); // the opportunity is durable: the command succeeds
            Assert.Null(Saved());
        }
        finally
        {
            fixture.Storage.HealStates("pipeline");
        }
        // The account retries every 5 s; the partition, holding the row unsaved, saves it then.
        for (var attempt = 0; attempt < 150 && Saved() is null; attempt++) await Task.Delay(100);
        var row = Saved();
        Assert.NotNull(row);
        Assert.Equal(new PipelineLine("CNY", OpportunityStatus.Open, deal.Stage, "", 1, 1_000, 500), Assert.Single(row.Lines));
        var held = await HeldAsync(id);
        Assert.True(held is not null && held.SameAs(row) && held.Version == row.Version);
    }

    [Fact]
    public async Task A_partition_that_never_saved_asks_the_accounts_it_owns_to_report()
    {
        // An account holding an opportunity that never reported (as before the pipeline existed).
        var id = Ids.New("pb");
        var account = fixture.Grains.GetGrain<IAccountGrain>(id);
        await account.CreateAsync(AccountGrainTests.NewAccount(id));
        var now = fixture.Clock.GetUtcNow();
        var deal = ContactAndOpportunityGrainTests.NewOpportunity(id, "old") with { AmountMinor = 4_000, ProbabilityPercent = 25, Status = OpportunityStatus.Open };
        fixture.Storage.Seed("opportunities", account.GetGrainId(), new OpportunitiesState { Items = [new OpportunityView(deal, 1, now, now)], LastVersion = 1 });

        // Its partition starts afresh.
        var partition = PipelinePartitions.For(fixture.Grains, id).GetGrainId();
        var management = fixture.Grains.GetGrain<IManagementGrain>(0);
        for (var attempt = 0; attempt < 50 && (await management.GetActiveGrains(partition.Type)).Contains(partition); attempt++)
        {
            await management.ForceActivationCollection(TimeSpan.Zero);
            await Task.Delay(100);
        }
        fixture.Storage.Seed("pipeline", partition, new PipelinePartitionState());
        Assert.Null(await HeldAsync(id));

        for (var attempt = 0; attempt < 100 && await HeldAsync(id) is null; attempt++) await Task.Delay(100);
        var row = await HeldAsync(id);
        Assert.NotNull(row);
        Assert.Equal(new PipelineLine("CNY", OpportunityStatus.Open, deal.Stage, "", 1, 4_000, 1_000), Assert.Single(row.Lines));
        for (var attempt = 0; attempt < 100 && fixture.Storage.Peek<PipelinePartitionState>("pipeline", partition) is not { Backfilled: true }; attempt++) await Task.Delay(100);
        Assert.True(fixture.Storage.Peek<PipelinePartitionState>("pipeline", partition)!.Backfilled);
    }
}
