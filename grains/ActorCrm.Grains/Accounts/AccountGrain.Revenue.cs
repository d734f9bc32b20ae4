using ActorCrm.Domain.Revenue;
using ActorCrm.Grains.Ranking;

namespace ActorCrm.Grains.Accounts;

/// <summary>
/// The account's side of revenue. Its ledger lives in its revenue partition
/// (<see cref="Revenue.RevenuePartitionGrain"/>), which asks the account once whether it exists;
/// while the account is watched the partition pushes it every new report, so snapshots carry the
/// window total.
/// </summary>
public sealed partial class AccountGrain
{
    /// <summary>Set while a delete runs: the partition must not start accepting events for the account meanwhile.</summary>
    private bool _deleting;

    /// <summary>The ledger's report as last pushed by the partition (only while watched).</summary>
    private RevenueReport? _revenue;

    private IRevenuePartitionGrain RevenuePartition => _revenuePartition ??= RevenuePartitions.For(GrainFactory, Id);
    private IRevenuePartitionGrain? _revenuePartition;

    private DateOnly Today => _window.LocalDay(clock.GetUtcNow());

    public Task<bool> AcceptsRevenueAsync() => Task.FromResult(profile.State.Account is not null && !_deleting);

    public Task OnRevenueChangedAsync(RevenueReport report)
    {
        if (_watchers is { Count: > 0 }) AdoptRevenue(report);
        return Task.CompletedTask;
    }

    public Task<HierarchyReport?> GetHierarchyReportAsync() =>
        Task.FromResult(profile.State.Version == 0 ? null : HierarchyReportNow());

    private long RevenueWindowTotal() => _revenue is null ? 0 : _window.TotalAt(_revenue.Buckets, Today).Total;

    private HierarchyReport HierarchyReportNow() =>
        new(Id, profile.State.Account?.ParentAccountId ?? "", profile.State.Version, profile.State.Account is null,
            profile.State.Account?.DisplayName ?? "", profile.State.Account?.Tier ?? 0,
            profile.State.Account?.OrganisationProfile.YearlyPurchaseVolumeMinor ?? 0);

    // Kept: GetGrain resolves the interface by reflection on every call.
    private IRankingReporterGrain Reporter => _reporter ??= GrainFactory.GetGrain<IRankingReporterGrain>(0);
    private IRankingReporterGrain? _reporter;

    private void ReportHierarchy() => Reporter.ReportHierarchyAsync(HierarchyReportNow()).Ignore();
}
