using ActorCrm.Domain.Errors;
using ActorCrm.Domain.Revenue;
using ActorCrm.Grains;
using ActorCrm.Grains.Accounts;
using ActorCrm.Grains.Revenue;
using ActorCrm.IntegrationTests.Infrastructure;
using Orleans.Runtime;

namespace ActorCrm.IntegrationTests.Grains;

/// <summary>
/// Stores an earlier build wrote keep each account's profile (and, before revenue partitions, its
/// ledger) in records of its own. A partition decides on its very first activation whether such
/// records can exist (its directory partition already lists accounts); this class runs a cluster of
/// its own so that each test can set up the partitions it uses (chosen by number) before they wake.
/// </summary>
public class EarlierBuildStoreTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private static string IdIn(string prefix, int partition) =>
        Enumerable.Range(0, 10_000).Select(i => $"{prefix}-{i}").First(id => AccountDirectory.PartitionOf(id) == partition);

    /// <summary>Lists an account in the directory partition before the partition wakes, as an earlier build's store would.</summary>
    private Task ListEarlierAccountAsync(string id, long version = 1) =>
        AccountDirectory.PartitionFor(fixture.Grains, id).UpsertAsync(new AccountSummary(id, "某集团有限公司", Domain.Model.StrategicTier.NationalHq, "", "u-1", version));

    private async Task<string> NewAccountInEarlierPartitionAsync(string prefix, int partition)
    {
        await ListEarlierAccountAsync(IdIn($"{prefix}-listed", partition));
        var id = IdIn(prefix, partition);
        await fixture.Grains.GetGrain<IAccountGrain>(id).CreateAsync(AccountGrainTests.NewAccount(id));
        return id;
    }

    private GrainId AccountGrainId(string id) => fixture.Grains.GetGrain<IAccountGrain>(id).GetGrainId();

    private IReadOnlyList<string> LedgerRecords(GrainId grainId) =>
        fixture.Storage.StateNamesOf(grainId).Where(n => n.StartsWith("ledger", StringComparison.Ordinal)).ToArray();

    [Fact]
    public async Task An_account_stored_in_its_own_record_is_served_and_moves_into_its_partition_on_its_next_write()
    {
        var id = IdIn("legacy-acct", 1);
        var account = AccountGrainTests.NewAccount(id);
        var now = fixture.Clock.GetUtcNow();
        fixture.Storage.Seed("profile", AccountGrainId(id), new AccountProfileState { Account = account, Version = 3, CreatedAt = now, UpdatedAt = now });
        await ListEarlierAccountAsync(id, version: 3);

        var read = await fixture.Grains.GetGrain<IAccountGrain>(id).GetAsync();
        Assert.Equal((3, account.DisplayName), (read.Version, read.Account.DisplayName));

        var updated = await fixture.Grains.GetGrain<IAccountGrain>(id).UpdateAsync(account with { Region = "四川省" }, read.Etag);
        Assert.Equal(4, updated.Version);
        var stored = await fixture.Grains.GetGrain<IProfilePartitionGrain>(1).ReadAsync($"{id}/profile");
        Assert.True(stored.CheckEarlierStore);
        Assert.Equal(1, stored.Record.Version); // the partition's first write of it (the record's own version count)
        Assert.NotNull(stored.Record.Data);
    }

    [Fact]
    public async Task A_partition_first_woken_with_no_listed_accounts_never_looks_for_earlier_records()
    {
        var id = IdIn("fresh", 10);
        var created = await fixture.Grains.GetGrain<IAccountGrain>(id).CreateAsync(AccountGrainTests.NewAccount(id));
        var stored = await fixture.Grains.GetGrain<IProfilePartitionGrain>(10).ReadAsync($"{id}/profile");
        Assert.False(stored.CheckEarlierStore);
        Assert.Equal((1, 1), (created.Version, stored.Record.Version));
    }

    [Fact]
    public async Task A_partition_that_never_held_revenue_knows_each_ledger_is_empty_without_reading_it()
    {
        var id = IdIn("fresh-rev", 11);
        await fixture.Grains.GetGrain<IAccountGrain>(id).CreateAsync(AccountGrainTests.NewAccount(id));
        var ledgerReads = () => fixture.Storage.ReadsOf("ledger-index", AccountGrainId(id)) + fixture.Storage.ReadsOf("ledger", AccountGrainId(id));

        // What the ranking's reconciliation asks of every account (a bulk load's accounts have no revenue yet).
        Assert.Empty(await RevenuePartitions.GetReportsAsync(fixture.Grains, [id]));
        Assert.Equal(0, ledgerReads());

        // Once the partition has logged events, ledgers exist and are read as before.
        var outcomes = await RevenuePartitionTests.RecordAsync(fixture, id, [new RevenueEntry("inv-1", 1_200, fixture.Clock.GetUtcNow())]);
        Assert.Equal(RevenueStatus.Accepted, Assert.Single(outcomes).Status);
        Assert.Equal(1_200, await RevenuePartitionTests.TotalAsync(fixture, id));
    }

    [Fact]
    public async Task A_ledger_saved_by_month_by_an_earlier_build_is_read_and_rewritten_in_chunks()
    {
        var id = await NewAccountInEarlierPartitionAsync("bymonth", 2);
        var ledger = AccountGrainId(id);
        var now = fixture.Clock.GetUtcNow();
        var day = DateOnly.FromDateTime(now.UtcDateTime);
        await fixture.Storage.WriteStateAsync("ledger-head", ledger, new GrainState<LedgerHead>(new LedgerHead { Months = [202611], VersionFloor = 3, SegmentCounts = { [202611] = 2 } }));
        await fixture.Storage.WriteStateAsync("ledger-202611", ledger, new GrainState<LedgerMonth>(new LedgerMonth
        {
            Month = 202611, Version = 3, Events = { ["inv-1"] = new RememberedEvent(day, 100, now.UtcTicks) },
        }));
        await fixture.Storage.WriteStateAsync("ledger-202611-1", ledger, new GrainState<LedgerMonth>(new LedgerMonth
        {
            Month = 202611, Segment = 1, Version = 4, Events = { ["inv-2"] = new RememberedEvent(day, 20, now.UtcTicks) },
        }));

        Assert.Equal(120, await RevenuePartitionTests.TotalAsync(fixture, id));
        Assert.Equal(RevenueStatus.Duplicate, (await RevenuePartitionTests.RecordAsync(fixture, id, [new RevenueEntry("inv-2", 20, now)])).Single().Status);
        await RevenuePartitionTests.Eventually(() => LedgerRecords(ledger).SequenceEqual(["ledger-c0", "ledger-c1", "ledger-index"]));
    }

    [Fact]
    public async Task A_ledger_saved_whole_by_an_earlier_build_is_read_and_rewritten_in_chunks()
    {
        var id = await NewAccountInEarlierPartitionAsync("whole", 3);
        var ledger = AccountGrainId(id);
        var at = fixture.Clock.GetUtcNow().AddDays(-40);
        var legacy = new LedgerState
        {
            Version = 7,
            Buckets = { [DateOnly.FromDateTime(at.UtcDateTime)] = 300 },
            Events = { ["inv-a"] = new RememberedEvent(DateOnly.FromDateTime(at.UtcDateTime), 300, at.UtcTicks) },
        };
        await fixture.Storage.WriteStateAsync("ledger", ledger, new GrainState<LedgerState>(legacy));

        Assert.Equal(300, await RevenuePartitionTests.TotalAsync(fixture, id));
        Assert.Equal(RevenueStatus.Duplicate, (await RevenuePartitionTests.RecordAsync(fixture, id, [new RevenueEntry("inv-a", 300, at)])).Single().Status);
        var report = Assert.Single(await RevenuePartitions.GetReportsAsync(fixture.Grains, [id]));
        Assert.True(report.LedgerVersion > 7); // a version of the partition's epoch: newer than anything reported before
        Assert.Equal(300, Assert.Single(report.Buckets).AmountMinor);
        await RevenuePartitionTests.Eventually(() => LedgerRecords(ledger).SequenceEqual(["ledger-c0", "ledger-index"]));
        Assert.Equal(["inv-a"], fixture.Storage.Peek<LedgerChunk>("ledger-c0", ledger)!.Events.Keys);
    }
    [Fact]
    public async Task A_ledger_that_cannot_be_loaded_answers_unavailable_and_loads_once_storage_answers()
    {
        // A partition over an earlier build's store reads each ledger (a new store's knows them empty until it logs events).
        var id = await NewAccountInEarlierPartitionAsync("unread", 4);
        RevenueEntry[] batch = [new("inv-1", 1000, fixture.Clock.GetUtcNow())];
        fixture.Storage.FailReadsOfStates("ledger");
        try
        {
            var refused = await RevenuePartitionTests.RecordAsync(fixture, id, batch);
            Assert.Equal(RevenueReasons.Unavailable, Assert.Single(refused).ReasonCode);
            var error = await Assert.ThrowsAsync<CrmException>(() => RevenuePartitionTests.TotalAsync(fixture, id));
            Assert.Equal(ErrorKind.Unavailable, error.Kind);
        }
        finally
        {
            fixture.Storage.HealStates("ledger");
        }
        Assert.Equal(RevenueStatus.Accepted, (await RevenuePartitionTests.RecordAsync(fixture, id, batch)).Single().Status);
        Assert.Equal(1000, await RevenuePartitionTests.TotalAsync(fixture, id));
    }
}
