using ActorCrm.Domain.Revenue;
using ActorCrm.Grains.Accounts;
using ActorCrm.Grains.Contacts;
using ActorCrm.Grains.Pipeline;
using ActorCrm.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace ActorCrm.IntegrationTests.Durability;

/// <summary>
/// State written by an earlier build must stay readable: the committed files under StoredState/
/// are the exact bytes the Azure providers store (Orleans serializer: type aliases and field ids,
/// not C# type names). A renamed class or a reordered property keeps them readable; removing an
/// [Id] or changing an [Alias] breaks this test on purpose. The files were written from
/// <see cref="StoredStateSamples"/> with <c>OrleansGrainStorageSerializer.Serialize</c>, as the providers do.
/// </summary>
[Collection(ClusterCollection.Name)]
public class StoredStateTests(ClusterFixture fixture)
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Durability", "StoredState");

    private OrleansGrainStorageSerializer Serializer => new(fixture.Cluster.Client.ServiceProvider.GetRequiredService<Serializer>());

    private T Read<T>(string file) =>
        Serializer.Deserialize<T>(new BinaryData(File.ReadAllBytes(Path.Combine(Folder, file)))) ?? throw new InvalidDataException(file);

    [Fact]
    public void The_committed_account_profile_is_read_by_this_build()
    {
        var stored = Read<AccountProfileState>("account-profile.v1.bin");
        var expected = StoredStateSamples.Profile();
        Assert.Equal(expected.Version, stored.Version);
        Assert.Equal(expected.UpdatedAt, stored.UpdatedAt);
        Assert.Equal("恒鼎建设股份有限公司", stored.Account!.DisplayName);
        Assert.Equal(expected.Account!.OrganisationProfile.Units, stored.Account.OrganisationProfile.Units);
        Assert.Equal(expected.Account.InstalledBase, stored.Account.InstalledBase);
        Assert.Equal("逸帆", stored.Account.Competitors[0].Competitor);
        Assert.Equal(expected.Account.Competitors[0].ProductsInUse, stored.Account.Competitors[0].ProductsInUse);
    }

    [Fact]
    public void The_committed_contact_is_read_by_this_build()
    {
        var stored = Read<ContactState>("contact.v1.bin");
        var expected = StoredStateSamples.Contact();
        Assert.Equal(expected.Contact!.PersonalProfile.Notes, stored.Contact!.PersonalProfile.Notes);
        Assert.Equal(expected.Contact.PersonalProfile.FavouriteBooks, stored.Contact.PersonalProfile.FavouriteBooks);
        Assert.Equal(expected.Version, stored.Version);
    }

    [Fact]
    public void The_committed_ledger_is_read_by_this_build()
    {
        var stored = Read<LedgerState>("ledger.v1.bin");
        var expected = StoredStateSamples.Ledger();
        Assert.Equal(expected.Version, stored.Version);
        Assert.Equal(expected.Buckets, stored.Buckets);
        Assert.Equal(expected.Events, stored.Events);
    }

    [Fact]
    public void The_committed_opportunities_with_a_close_reason_are_read_by_this_build()
    {
        var stored = Read<OpportunitiesState>("opportunities.v1.bin");
        var expected = StoredStateSamples.Opportunities();
        Assert.Equal(expected.LastVersion, stored.LastVersion);
        Assert.Equal(expected.Items[0].Opportunity with { BuyingCentre = [], Competitors = [] }, stored.Items[0].Opportunity with { BuyingCentre = [], Competitors = [] });
        Assert.Equal("价格高于竞争对手", stored.Items[0].Opportunity.CloseReason);
    }

    [Fact]
    public void The_committed_pipeline_partition_is_read_by_this_build()
    {
        var stored = Read<PipelinePartitionState>("pipeline-partition.v1.bin");
        var expected = StoredStateSamples.PipelinePartition();
        var row = stored.Rows["hengding-hq"];
        Assert.True(row.SameAs(expected.Rows["hengding-hq"]) && row.Version == 11);
        Assert.Equal(expected.Removed["hengding-bureau-25"], stored.Removed["hengding-bureau-25"]);
        Assert.True(stored.Backfilled);
    }
}
