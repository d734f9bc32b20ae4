using ActorCrm.Grains;
using ActorCrm.Domain.Model;
using ActorCrm.Grains.Infrastructure;
using ActorCrm.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ActorCrm.IntegrationTests.Grains;

/// <summary>The per-silo read caches (accounts, contacts): filled by reads, emptied by every committed change before it is acknowledged.</summary>
[Collection(ClusterCollection.Name)]
public class GrainReadCacheTests(ClusterFixture fixture)
{
    private GrainReadCache<AccountView> Cache => fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<GrainReadCache<AccountView>>();

    private GrainReadCache<OpportunityView> Opportunities => fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<GrainReadCache<OpportunityView>>();

    private GrainReadCache<ContactView> Contacts => fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<GrainReadCache<ContactView>>();

    [Fact]
    public async Task A_read_fills_the_cache_and_a_committed_change_empties_it_before_it_is_acknowledged()
    {
        var id = Ids.New("cached");
        var account = fixture.Grains.GetGrain<IAccountGrain>(id);
        var created = await account.CreateAsync(AccountGrainTests.NewAccount(id));
        Assert.False(Cache.TryGet(id, out _)); // a create does not fill it

        await account.GetAsync();
        Assert.True(Cache.TryGet(id, out var entry));
        Assert.Equal(created.Version, entry.View.Version);

        var updated = await account.UpdateAsync(created.Account with { DisplayName = "四川省澄岷交通运输事务中心（新）" }, created.Etag);
        Assert.False(Cache.TryGet(id, out _)); // gone by the time the update returned
        Assert.Equal(updated.Version, (await account.GetAsync()).Version);
        Assert.True(Cache.TryGet(id, out entry));
        Assert.Equal("四川省澄岷交通运输事务中心（新）", entry.View.Account.DisplayName);
    }

    [Fact]
    public async Task A_failed_write_never_puts_the_unacknowledged_view_in_the_cache()
    {
        var id = Ids.New("cachefail");
        var account = fixture.Grains.GetGrain<IAccountGrain>(id);
        var created = await account.CreateAsync(AccountGrainTests.NewAccount(id));
        await account.GetAsync();

        fixture.Storage.FailWritesOfStates("profile-log-"); // every profile partition's appends
        try
        {
            var error = await Assert.ThrowsAsync<ActorCrm.Domain.Errors.CrmException>(
                () => account.UpdateAsync(created.Account with { DisplayName = "never committed" }, created.Etag));
            Assert.Equal(ActorCrm.Domain.Errors.ErrorKind.Unavailable, error.Kind);
            // Either the committed view is still cached or (the grain deactivated) nothing is.
            if (Cache.TryGet(id, out var entry)) Assert.Equal(created.Version, entry.View.Version);
        }
        finally
        {
            fixture.Storage.HealStates("profile-log-");
        }
        var read = await account.GetAsync();
        Assert.Equal(created.Version, read.Version);
        Assert.Equal(created.Account.DisplayName, read.Account.DisplayName);
    }

    [Fact]
    public async Task A_contact_joining_empties_the_cached_view_so_the_count_is_current()
    {
        var id = Ids.New("cachecount");
        var account = fixture.Grains.GetGrain<IAccountGrain>(id);
        await account.CreateAsync(AccountGrainTests.NewAccount(id));
        Assert.Equal(0, (await account.GetAsync()).ContactCount);
        var contactId = Ids.New("c");
        await fixture.Grains.GetGrain<IContactGrain>(contactId).CreateAsync(ContactAndOpportunityGrainTests.NewContact(contactId, id));
        Assert.Equal(1, (await account.GetAsync()).ContactCount);
        Assert.True(Cache.TryGet(id, out var entry));
        Assert.Equal(1, entry.View.ContactCount);
    }

    [Fact]
    public async Task A_contact_read_is_cached_until_the_contact_changes_or_is_erased()
    {
        var accountId = Ids.New("cacheacct");
        await fixture.Grains.GetGrain<IAccountGrain>(accountId).CreateAsync(AccountGrainTests.NewAccount(accountId));
        var id = Ids.New("cachec");
        var contact = fixture.Grains.GetGrain<IContactGrain>(id);
        var created = await contact.CreateAsync(ContactAndOpportunityGrainTests.NewContact(id, accountId));
        await contact.GetAsync();
        Assert.True(Contacts.TryGet(id, out var entry));
        Assert.Equal(created.Version, entry.View.Version);

        var updated = await contact.UpdateAsync(created.Contact with { Title = "总经理" }, created.Etag);
        Assert.False(Contacts.TryGet(id, out _));
        Assert.Equal("总经理", (await contact.GetAsync()).Contact.Title);
        Assert.True(Contacts.TryGet(id, out entry));
        Assert.Equal(updated.Version, entry.View.Version);

        await contact.DeleteAsync(updated.Etag);
        Assert.False(Contacts.TryGet(id, out _)); // the personal data is gone from the cache too
        await Assert.ThrowsAsync<ActorCrm.Domain.Errors.CrmException>(() => contact.GetAsync());
    }

    [Fact]
    public async Task An_opportunity_read_is_cached_until_any_opportunity_of_its_account_changes()
    {
        var id = Ids.New("cacheopp");
        var account = fixture.Grains.GetGrain<IAccountGrain>(id);
        await account.CreateAsync(AccountGrainTests.NewAccount(id));
        var o1 = await account.CreateOpportunityAsync(ContactAndOpportunityGrainTests.NewOpportunity(id, "o1"));
        var o2 = await account.CreateOpportunityAsync(ContactAndOpportunityGrainTests.NewOpportunity(id, "o2"));
        await account.GetOpportunityAsync("o1");
        await account.GetOpportunityAsync("o2");
        Assert.True(Opportunities.TryGet(ActorCrm.Grains.Accounts.AccountGrain.OpportunityCacheKey(id, "o1"), out var entry));
        Assert.Equal(o1.Version, entry.View.Version);

        var updated = await account.UpdateOpportunityAsync(o2.Opportunity with { Stage = Stage.Bidding }, o2.Etag);
        Assert.False(Opportunities.TryGet(ActorCrm.Grains.Accounts.AccountGrain.OpportunityCacheKey(id, "o2"), out _));
        Assert.False(Opportunities.TryGet(ActorCrm.Grains.Accounts.AccountGrain.OpportunityCacheKey(id, "o1"), out _)); // a write of the state drops them all
        Assert.Equal(Stage.Bidding, (await account.GetOpportunityAsync("o2")).Opportunity.Stage);

        await account.DeleteOpportunityAsync("o2", updated.Etag);
        Assert.False(Opportunities.TryGet(ActorCrm.Grains.Accounts.AccountGrain.OpportunityCacheKey(id, "o2"), out _));
        await Assert.ThrowsAsync<ActorCrm.Domain.Errors.CrmException>(() => account.GetOpportunityAsync("o2"));
    }
}
