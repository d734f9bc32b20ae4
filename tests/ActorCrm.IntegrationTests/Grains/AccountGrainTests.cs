using ActorCrm.Domain.Errors;
using ActorCrm.Domain.Model;
using ActorCrm.Grains;
using ActorCrm.IntegrationTests.Infrastructure;

namespace ActorCrm.IntegrationTests.Grains;

[Collection(ClusterCollection.Name)]
public class AccountGrainTests(ClusterFixture fixture)
{
    private IAccountGrain Account(string id) => fixture.Grains.GetGrain<IAccountGrain>(id);

    internal static Account NewAccount(string id, string parent = "", StrategicTier tier = StrategicTier.BureauOrProvince) => new()
    {
        AccountId = id,
        DisplayName = "恒鼎十二局集团有限公司",
        Kind = AccountKind.Business,
        Tier = tier,
        ParentAccountId = parent,
        Owner = "u-zhang.wei",
        OrganisationProfile = new OrganisationProfile
        {
            Units = [new OrganisationUnit("wuzi", "物资部", OrgUnitFunction.Purchasing, "")],
        },
    };

    [Fact]
    public async Task Create_then_get_returns_the_account_with_version_1()
    {
        var id = Ids.New("acct");
        var created = await Account(id).CreateAsync(NewAccount(id));
        var read = await Account(id).GetAsync();
        Assert.Equal(1, created.Version);
        Assert.Equal("\"1\"", read.Etag);
        Assert.Equal("恒鼎十二局集团有限公司", read.Account.DisplayName);
        Assert.Equal(fixture.Clock.GetUtcNow(), read.CreatedAt);
    }

    [Fact]
    public async Task A_create_reads_no_record_of_its_own_and_a_cold_read_every_other_state_once()
    {
        var id = Ids.New("lazy");
        var grainId = Account(id).GetGrainId();
        int Reads(string state) => fixture.Storage.ReadsOf(state, grainId);

        // The profile comes from the account's profile partition (in memory there), not from a record of its own.
        await Account(id).CreateAsync(NewAccount(id));
        Assert.Equal((0, 0, 0, 0), (Reads("profile"), Reads("members"), Reads("opportunities"), Reads("activities")));

        // Deactivate it, then read it cold.
        var management = fixture.Grains.GetGrain<IManagementGrain>(0);
        for (var attempt = 0; attempt < 50 && (await management.GetActiveGrains(grainId.Type)).Contains(grainId); attempt++)
        {
            await management.ForceActivationCollection(TimeSpan.Zero);
            await Task.Delay(100);
        }
        Assert.DoesNotContain(grainId, await management.GetActiveGrains(grainId.Type));
        Assert.Equal(0, (await Account(id).GetAsync()).ContactCount);
        // The roster for the contact count, and with the opportunities and their last activities the insights.
        Assert.Equal((0, 1, 1, 1), (Reads("profile"), Reads("members"), Reads("opportunities"), Reads("activities")));

        // Later calls read nothing again.
        await Account(id).ListOpportunitiesAsync("", 10, OpportunityStatus.Unspecified);
        await Account(id).ListOpportunitiesAsync("", 10, OpportunityStatus.Unspecified);
        Assert.Equal((0, 1, 1, 1), (Reads("profile"), Reads("members"), Reads("opportunities"), Reads("activities")));
    }

    [Fact]
    public async Task Crm_errors_cross_the_grain_boundary_with_kind_and_fields()
    {
        var id = Ids.New("acct");
        var error = await Assert.ThrowsAsync<CrmException>(() => Account(id).CreateAsync(NewAccount(id) with { DisplayName = "" }));
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal("account.display_name", Assert.Single(error.Violations).Field);
    }

    [Fact]
    public async Task A_stale_etag_is_aborted_and_changes_nothing()
    {
        var id = Ids.New("acct");
        await Account(id).CreateAsync(NewAccount(id));
        await Account(id).UpdateAsync(NewAccount(id) with { Region = "四川省" }, "\"1\"");

        var error = await Assert.ThrowsAsync<CrmException>(() => Account(id).UpdateAsync(NewAccount(id) with { Region = "广东省" }, "\"1\""));
        Assert.Equal(ErrorKind.Aborted, error.Kind);
        var read = await Account(id).GetAsync();
        Assert.Equal("四川省", read.Account.Region);
        Assert.Equal(2, read.Version);
    }

    [Fact]
    public async Task A_failed_storage_write_is_unavailable_and_the_served_state_is_unchanged()
    {
        var id = Ids.New("faulty");
        await Account(id).CreateAsync(NewAccount(id));
        fixture.Storage.FailWritesOfStates("profile-log-"); // every profile partition's appends
        try
        {
            var error = await Assert.ThrowsAsync<CrmException>(() => Account(id).UpdateAsync(NewAccount(id) with { Region = "西藏" }, "\"1\""));
            Assert.Equal(ErrorKind.Unavailable, error.Kind);
            var read = await Account(id).GetAsync();
            Assert.Equal("", read.Account.Region);
            Assert.Equal(1, read.Version);
        }
        finally
        {
            fixture.Storage.HealStates("profile-log-");
        }
        var updated = await Account(id).UpdateAsync(NewAccount(id) with { Region = "西藏" }, "\"1\"");
        Assert.Equal(2, updated.Version);
    }

    [Fact]
    public async Task Creating_under_a_missing_parent_is_a_failed_precondition_and_creates_nothing()
    {
        var id = Ids.New("acct");
        var error = await Assert.ThrowsAsync<CrmException>(() => Account(id).CreateAsync(NewAccount(id, parent: Ids.New("ghost"))));
        Assert.Equal(ErrorKind.FailedPrecondition, error.Kind);
        Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<CrmException>(() => Account(id).GetAsync())).Kind);
    }

    [Fact]
    public async Task An_account_with_sub_accounts_cannot_be_deleted()
    {
        var hq = Ids.New("hq");
        var bureau = Ids.New("bureau");
        await Account(hq).CreateAsync(NewAccount(hq, tier: StrategicTier.NationalHq));
        await Account(bureau).CreateAsync(NewAccount(bureau, parent: hq));

        var error = await Assert.ThrowsAsync<CrmException>(() => Account(hq).DeleteAsync(""));
        Assert.Equal(ErrorKind.FailedPrecondition, error.Kind);
        Assert.Contains(bureau, error.Message);

        await Account(bureau).DeleteAsync("");
        await Account(hq).DeleteAsync("");
        Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<CrmException>(() => Account(hq).GetAsync())).Kind);
    }

    [Fact]
    public async Task Moving_an_account_under_its_own_descendant_is_refused()
    {
        var hq = Ids.New("hq");
        var bureau = Ids.New("bureau");
        var unit = Ids.New("unit");
        await Account(hq).CreateAsync(NewAccount(hq, tier: StrategicTier.NationalHq));
        await Account(bureau).CreateAsync(NewAccount(bureau, parent: hq));
        await Account(unit).CreateAsync(NewAccount(unit, parent: bureau));

        var hierarchy = fixture.Grains.GetGrain<IAccountHierarchyGrain>(IAccountHierarchyGrain.Key);
        var error = await Assert.ThrowsAsync<CrmException>(() => hierarchy.MoveAsync(NewAccount(hq, parent: unit), "\"1\""));
        Assert.Equal(ErrorKind.FailedPrecondition, error.Kind);
        Assert.Equal("", await Account(hq).GetParentAsync());
    }

    [Fact]
    public async Task A_move_updates_both_parents_children()
    {
        var a = Ids.New("hq-a");
        var b = Ids.New("hq-b");
        var child = Ids.New("bureau");
        await Account(a).CreateAsync(NewAccount(a, tier: StrategicTier.NationalHq));
        await Account(b).CreateAsync(NewAccount(b, tier: StrategicTier.NationalHq));
        await Account(child).CreateAsync(NewAccount(child, parent: a));

        var hierarchy = fixture.Grains.GetGrain<IAccountHierarchyGrain>(IAccountHierarchyGrain.Key);
        var moved = await hierarchy.MoveAsync(NewAccount(child, parent: b), "\"1\"");
        Assert.Equal(b, moved.Account.ParentAccountId);

        await Account(a).DeleteAsync("");                       // a no longer has the child
        await Assert.ThrowsAsync<CrmException>(() => Account(b).DeleteAsync("")); // b has it now
    }

    [Fact]
    public async Task Two_racing_opposite_moves_never_form_a_cycle()
    {
        for (var round = 0; round < 5; round++)
        {
            var x = Ids.New("x");
            var y = Ids.New("y");
            await Account(x).CreateAsync(NewAccount(x));
            await Account(y).CreateAsync(NewAccount(y));
            var hierarchy = fixture.Grains.GetGrain<IAccountHierarchyGrain>(IAccountHierarchyGrain.Key);

            var results = await Task.WhenAll(
                Attempt(() => hierarchy.MoveAsync(NewAccount(x, parent: y), "\"1\"")),
                Attempt(() => hierarchy.MoveAsync(NewAccount(y, parent: x), "\"1\"")));

            Assert.Equal(1, results.Count(ok => ok));
            var parents = new[] { await Account(x).GetParentAsync(), await Account(y).GetParentAsync() };
            Assert.Contains("", parents);
        }

        static async Task<bool> Attempt(Func<Task> move)
        {
            try
            {
                await move();
                return true;
            }
            catch (CrmException e) when (e.Kind == ErrorKind.FailedPrecondition)
            {
                return false;
            }
        }
    }

    [Fact]
    public async Task Updates_cannot_change_the_parent_behind_the_coordinators_back()
    {
        var id = Ids.New("acct");
        var other = Ids.New("acct");
        await Account(id).CreateAsync(NewAccount(id));
        await Account(other).CreateAsync(NewAccount(other));
        var error = await Assert.ThrowsAsync<CrmException>(() => Account(id).UpdateAsync(NewAccount(id, parent: other), "\"1\""));
        Assert.Equal(ErrorKind.FailedPrecondition, error.Kind);
    }

    [Fact]
    public async Task Deleted_account_ids_can_be_created_again_with_a_new_etag()
    {
        var id = Ids.New("acct");
        await Account(id).CreateAsync(NewAccount(id));
        await Account(id).DeleteAsync("\"1\"");
        var again = await Account(id).CreateAsync(NewAccount(id));
        Assert.Equal(3, again.Version); // 1 = created, 2 = tombstone, 3 = created again: old etags never match
    }
}
