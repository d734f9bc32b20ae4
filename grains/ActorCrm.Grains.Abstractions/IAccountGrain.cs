using ActorCrm.Domain.Insights;
using ActorCrm.Domain.Model;
using ActorCrm.Domain.Revenue;
using ActorCrm.Grains.Ranking;
using ActorCrm.Grains.Watching;
using Orleans.Concurrency;

namespace ActorCrm.Grains;

/// <summary>
/// One key account (key = account_id): its fields, its opportunities, its contact roster, its
/// sub-accounts and its activity timeline. Every command validates, writes once, then answers;
/// a refused command throws <c>CrmException</c> and changes nothing.
/// </summary>
[Alias("actorcrm.IAccountGrain")]
public interface IAccountGrain : IGrainWithStringKey
{
    [Alias("Create")] Task<AccountView> CreateAsync(Account account);

    [ReadOnly, Alias("Get")] Task<AccountView> GetAsync();

    /// <summary>Replaces the account's fields. The parent must be unchanged: moves go through <see cref="IAccountHierarchyGrain"/>.</summary>
    [Alias("Update")] Task<AccountView> UpdateAsync(Account account, string expectedEtag);

    /// <summary>Deletes the account with its opportunities, activities and contacts. Empty etag = unconditional.</summary>
    [Alias("Delete")] Task DeleteAsync(string expectedEtag);

    /// <summary>
    /// Records that a person confirmed the account's own sections and opportunities among
    /// <paramref name="sections"/> as still true (contact profiles are confirmed on the contacts).
    /// A confirmation is a write: the account's etag, and each confirmed opportunity's, change.
    /// </summary>
    [Alias("ConfirmIntel")] Task<AccountView> ConfirmIntelAsync(IReadOnlyList<IntelSection> sections);

    /// <summary>
    /// Publishes the account's coverage to the directory again: the directory asks when the coverage
    /// it lists may have dropped with time (a section turned stale) though nothing was written.
    /// </summary>
    [OneWay, Alias("RefreshCoverage")] Task RefreshCoverageAsync();

    // --- hierarchy (called by the hierarchy coordinator and by other account grains) ---

    /// <summary>
    /// The parent id ("" for a top-level account), or null when the account does not exist.
    /// Interleaved, so a parent checking its children never waits on a child that is waiting on it;
    /// a create or move in flight already shows its new parent.
    /// </summary>
    [AlwaysInterleave, Alias("GetParent")] Task<string?> GetParentAsync();

    /// <summary>
    /// Who the account belongs to (owner and team user ids) and its parent, for access checks; null
    /// when the account does not exist. Interleaved like <see cref="GetParentAsync"/>.
    /// </summary>
    [AlwaysInterleave, Alias("GetAccess")] Task<AccountAccess?> GetAccessAsync();

    /// <summary>Replaces the fields including a new parent. Only the hierarchy coordinator calls this, one move at a time.</summary>
    [Alias("ApplyMove")] Task<AccountView> ApplyMoveAsync(Account account, string expectedEtag);

    /// <summary>
    /// Checks that this account can take <paramref name="childAccountId"/> as a sub-account (it exists
    /// and has room) before the child saves itself. Writes nothing: sub-accounts are listed from the directory.
    /// </summary>
    [Alias("AdoptChild")] Task AdoptChildAsync(string childAccountId);

    // --- contact roster (called by contact grains) ---

    /// <summary>Puts a contact on the roster after checking its links (org unit, reports-to) against this account.</summary>
    [Alias("AttachContact")] Task AttachContactAsync(string contactId, ContactLinks links);

    [ReadOnly, Alias("CheckContactLinks")] Task CheckContactLinksAsync(string contactId, ContactLinks links);

    /// <summary>One-way: contacts call it while the account may be busy erasing them (see ContactGrain.DeleteAsync).</summary>
    [OneWay, Alias("DetachContact")] Task DetachContactAsync(string contactId);

    /// <summary>Roster ids after <paramref name="afterContactId"/> in ordinal order.</summary>
    [ReadOnly, Alias("ListContactIds")] Task<IReadOnlyList<string>> ListContactIdsAsync(string afterContactId, int limit);

    // --- opportunities ---

    [Alias("CreateOpportunity")] Task<OpportunityView> CreateOpportunityAsync(Opportunity opportunity);

    [ReadOnly, Alias("GetOpportunity")] Task<OpportunityView> GetOpportunityAsync(string opportunityId);

    [Alias("UpdateOpportunity")] Task<OpportunityView> UpdateOpportunityAsync(Opportunity opportunity, string expectedEtag);

    [Alias("DeleteOpportunity")] Task DeleteOpportunityAsync(string opportunityId, string expectedEtag);

    [ReadOnly, Alias("ListOpportunities")]
    Task<IReadOnlyList<OpportunityView>> ListOpportunitiesAsync(string afterOpportunityId, int limit, OpportunityStatus status);

    // --- activity timeline ---

    [Alias("LogActivity")] Task<Activity> LogActivityAsync(Activity activity);

    /// <summary>Activities older than <paramref name="after"/> (null = from the newest), newest first.</summary>
    [ReadOnly, Alias("ListActivities")] Task<IReadOnlyList<Activity>> ListActivitiesAsync(ActivityCursor? after, int limit);

    // --- revenue (the ledger lives in the account's revenue partition) ---

    /// <summary>
    /// Whether the account exists and takes revenue (false while it is being deleted). Interleaved:
    /// the partition asks it while the account may be waiting on the partition (a delete clearing its ledger).
    /// </summary>
    [AlwaysInterleave, Alias("AcceptsRevenue")] Task<bool> AcceptsRevenueAsync();

    /// <summary>The account's hierarchy report for the rankings (reconciliation); null for an account that never existed.</summary>
    [ReadOnly, Alias("GetHierarchyReport")] Task<HierarchyReport?> GetHierarchyReportAsync();

    /// <summary>One-way, from the revenue partition while the account is watched: its ledger's newest report.</summary>
    [OneWay, Alias("OnRevenueChanged")] Task OnRevenueChangedAsync(RevenueReport report);

    /// <summary>Sends the account's pipeline row to its pipeline partition if it holds opportunities (the partition's backfill asks).</summary>
    [Alias("ReportPipeline")] Task ReportPipelineAsync();

    // --- live updates ---

    /// <summary>
    /// Registers (or renews) a silo's observer, which then gets the snapshot after every committed
    /// change until it unwatches or stops renewing; returns the current snapshot. NOT_FOUND for an
    /// account that does not exist.
    /// </summary>
    [Alias("Watch")] Task<AccountSnapshot> WatchAsync(IAccountObserver observer);

    [OneWay, Alias("Unwatch")] Task UnwatchAsync(IAccountObserver observer);

    /// <summary>
    /// One-way, from a contact that was created or changed: the account keeps what it reported for
    /// intel coverage, and its state (the roster version) moves so watchers hear of it.
    /// </summary>
    [OneWay, Alias("ContactIntelChanged")] Task ContactChangedAsync(string contactId, ContactIntel intel);
}

/// <summary>The fields an access check reads: an account manager sees accounts they own or are on the team of, and everything below them.</summary>
[GenerateSerializer, Immutable, Alias("actorcrm.AccountAccess")]
public sealed record AccountAccess(
    [property: Id(0)] string ParentAccountId,
    [property: Id(1)] string Owner,
    [property: Id(2)] IReadOnlyList<string> TeamUserIds)
{
    public bool Includes(string userId) => Owner == userId || TeamUserIds.Contains(userId);
}

/// <summary>A contact's references into its account, checked by the account.</summary>
[GenerateSerializer, Immutable, Alias("actorcrm.ContactLinks")]
public sealed record ContactLinks([property: Id(0)] string OrgUnitId, [property: Id(1)] string ReportsToContactId);

/// <summary>A position in a timeline: newest first by time, then by activity id.</summary>
[GenerateSerializer, Immutable, Alias("actorcrm.ActivityCursor")]
public sealed record ActivityCursor([property: Id(0)] DateTimeOffset OccurredAt, [property: Id(1)] string ActivityId)
{
    public static ActivityCursor Of(Activity a) => new(a.OccurredAt, a.ActivityId);

    /// <summary>Timeline order: newer first; equal times by activity id ascending.</summary>
    public static int Compare(DateTimeOffset aTime, string aId, DateTimeOffset bTime, string bId)
    {
        var byTime = bTime.UtcTicks.CompareTo(aTime.UtcTicks);
        return byTime != 0 ? byTime : string.CompareOrdinal(aId, bId);
    }

    public string ToToken() => $"{OccurredAt.UtcTicks}|{ActivityId}";

    public static ActivityCursor? TryParse(string token)
    {
        var bar = token.IndexOf('|');
        if (bar <= 0 || !long.TryParse(token.AsSpan(0, bar), out var ticks) || ticks < 0 || ticks > DateTimeOffset.MaxValue.UtcTicks) return null;
        return new ActivityCursor(new DateTimeOffset(ticks, TimeSpan.Zero), token[(bar + 1)..]);
    }
}
