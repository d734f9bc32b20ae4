using ActorCrm.Domain;
using ActorCrm.Domain.Errors;
using ActorCrm.Domain.Model;
using ActorCrm.Domain.Revenue;
using ActorCrm.Domain.Validation;
using ActorCrm.Grains.Diagnostics;
using ActorCrm.Grains.Infrastructure;
using ActorCrm.Grains.Ranking;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Serialization;

namespace ActorCrm.Grains.Accounts;

/// <summary>
/// A key account. It owns five states (profile, opportunities, members, activity index, revenue
/// ledger) and writes exactly one of them per command, except delete. Not reentrant: commands on one account
/// run one at a time, so every check-then-write is atomic.
/// </summary>
public sealed partial class AccountGrain(
    [PersistentState("profile", StorageNames.Crm)] IPersistentState<AccountProfileState> profile,
    [PersistentState("opportunities", StorageNames.Crm)] IPersistentState<OpportunitiesState> opportunities,
    [PersistentState("members", StorageNames.Crm)] IPersistentState<MembersState> members,
    [PersistentState("activities", StorageNames.Crm)] IPersistentState<ActivityIndexState> activityIndex,
    [PersistentState("ledger", StorageNames.Large)] IPersistentState<LedgerState> ledger,
    [FromKeyedServices(ProductClock.Key)] TimeProvider clock,
    IOptions<ActivityOptions> activityOptions,
    IOptions<RankingOptions> rankingOptions,
    Serializer serializer,
    ILogger<AccountGrain> logger) : Grain, IAccountGrain
{
    /// <summary>Largest serialized opportunities state (the Azure Table entity limit is ~960 KB).</summary>
    private const int OpportunitiesStateBytes = 768 * 1024;

    private readonly IReadOnlySet<string> _activityTypes = activityOptions.Value.EffectiveTypes();
    private readonly RevenueWindowRules _window = rankingOptions.Value.WindowRules();
    private HashSet<ulong>? _activityIds;
    private IGrainTimer? _indexRetry;

    private string Id => this.GetPrimaryKeyString();

    private Account Current => profile.State.Account ?? throw CrmException.NotFound($"account '{Id}' does not exist");

    private AccountView View(AccountProfileState state) =>
        new(state.Account!, state.Version, state.CreatedAt, state.UpdatedAt, members.State.ContactIds.Count);

    /// <summary>
    /// A write whose answer was lost in a storage outage may still have landed (the grain then
    /// deactivates): the stored ledger or profile is newer than anything the rankings heard of.
    /// Reports are versioned, so re-reporting on activation is harmless and closes that gap.
    /// </summary>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (ledger.State.Version > 0) await ReportRevenueAsync();
        if (profile.State.Version > 0) await ReportHierarchyAsync();
    }

    // ---------------------------------------------------------------- the account itself

    public async Task<AccountView> CreateAsync(Account account)
    {
        CheckKey(account.AccountId, "account.account_id");
        var violations = new Violations();
        AccountRules.Validate(account, violations);
        violations.ThrowIfAny();
        if (profile.State.Account is not null) throw CrmException.AlreadyExists($"account '{Id}' already exists");

        var now = clock.GetUtcNow();
        var next = profile.State with { Account = account, Version = profile.State.Version + 1, CreatedAt = now, UpdatedAt = now };
        EnsureFits(next, Limits.ProfileStateBytes, "the account's profile");

        var parent = account.ParentAccountId.Length > 0 ? GrainFactory.GetGrain<IAccountGrain>(account.ParentAccountId) : null;
        if (parent is not null) await parent.AddChildAsync(Id);
        try
        {
            await profile.WriteAsync(next, this);
        }
        catch
        {
            if (parent is not null) await TryAsync(() => parent.RemoveChildAsync(Id), "undo sub-account registration");
            throw;
        }
        logger.LogInformation("Account {AccountId} created (version {Version})", Id, next.Version);
        await PublishSummaryAsync();
        await ReportHierarchyAsync();
        return View(next);
    }

    public Task<AccountView> GetAsync()
    {
        _ = Current;
        return Task.FromResult(View(profile.State));
    }

    public async Task<AccountView> UpdateAsync(Account account, string expectedEtag)
    {
        var current = Current;
        if (account.ParentAccountId != current.ParentAccountId)
            throw CrmException.Precondition("a change of parent_account_id must go through the hierarchy coordinator");
        return await ReplaceAsync(account, expectedEtag);
    }

    public async Task<AccountView> ApplyMoveAsync(Account account, string expectedEtag)
    {
        var current = Current;
        var oldParent = current.ParentAccountId;
        var newParent = account.ParentAccountId;
        if (oldParent == newParent) return await ReplaceAsync(account, expectedEtag);

        CheckEtag(expectedEtag, "account", profile.State.Version);
        var newParentGrain = newParent.Length > 0 ? GrainFactory.GetGrain<IAccountGrain>(newParent) : null;
        if (newParentGrain is not null) await newParentGrain.AddChildAsync(Id);
        AccountView view;
        try
        {
            view = await ReplaceAsync(account, expectedEtag);
        }
        catch
        {
            if (newParentGrain is not null) await TryAsync(() => newParentGrain.RemoveChildAsync(Id), "undo sub-account registration");
            throw;
        }
        if (oldParent.Length > 0)
            await TryAsync(() => GrainFactory.GetGrain<IAccountGrain>(oldParent).RemoveChildAsync(Id), "deregister from the old parent");
        logger.LogInformation("Account {AccountId} moved from {OldParentId} to {NewParentId}", Id, oldParent, newParent);
        await ReportHierarchyAsync();
        return view;
    }

    private async Task<AccountView> ReplaceAsync(Account account, string expectedEtag)
    {
        CheckKey(account.AccountId, "account.account_id");
        CheckEtag(expectedEtag, "account", profile.State.Version);
        var violations = new Violations();
        AccountRules.Validate(account, violations);
        violations.ThrowIfAny();

        var next = profile.State with { Account = account, Version = profile.State.Version + 1, UpdatedAt = clock.GetUtcNow() };
        EnsureFits(next, Limits.ProfileStateBytes, "the account's profile");
        await profile.WriteAsync(next, this);
        await PublishSummaryAsync();
        return View(next);
    }

    public async Task DeleteAsync(string expectedEtag)
    {
        var current = Current;
        if (expectedEtag.Length > 0) CheckEtag(expectedEtag, "account", profile.State.Version);

        // The children list may hold ids whose registration was never completed or whose move
        // failed half-way; only accounts that really point at this one count.
        var childIds = members.State.ChildAccountIds;
        var parents = await Task.WhenAll(childIds.Select(c => GrainFactory.GetGrain<IAccountGrain>(c).GetParentAsync()));
        var children = childIds.Where((_, i) => parents[i] == Id).ToList();
        if (children.Count > 0)
            throw CrmException.Precondition(
                $"account '{Id}' has {children.Count} sub-account(s) (e.g. '{children[0]}'); delete or move them first");

        // Cascade first, tombstone last: if anything fails the account still exists and a retry finishes the job.
        foreach (var batch in members.State.ContactIds.Chunk(64))
            await Task.WhenAll(batch.Select(c => GrainFactory.GetGrain<IContactGrain>(c).EraseForAccountDeletionAsync(Id)));
        foreach (var month in activityIndex.State.Months)
            await GrainFactory.GetGrain<IActivityMonthGrain>(IActivityMonthGrain.KeyOf(Id, month)).ClearAsync();
        if (current.ParentAccountId.Length > 0)
            await GrainFactory.GetGrain<IAccountGrain>(current.ParentAccountId).RemoveChildAsync(Id);

        await activityIndex.WriteAsync(new ActivityIndexState { Version = activityIndex.State.Version + 1 }, this);
        _activityIds = null;
        await opportunities.WriteAsync(new OpportunitiesState { LastVersion = opportunities.State.LastVersion }, this);
        await members.WriteAsync(new MembersState { Version = members.State.Version + 1 }, this);
        if (ledger.State.Version > 0) await ledger.WriteAsync(new LedgerState { Version = ledger.State.Version + 1 }, this);
        var tombstone = new AccountProfileState { Version = profile.State.Version + 1 };
        await profile.WriteAsync(tombstone, this);
        logger.LogInformation("Account {AccountId} deleted (version {Version})", Id, tombstone.Version);
        StopIndexRetry();

        await TryAsync(() => AccountDirectory.PartitionFor(GrainFactory, Id).RemoveAsync(Id, tombstone.Version), "remove from the directory");
        await ReportRevenueAsync();
        await ReportHierarchyAsync();
    }

    // ---------------------------------------------------------------- hierarchy

    public Task<string?> GetParentAsync() => Task.FromResult(profile.State.Account?.ParentAccountId);

    public async Task AddChildAsync(string childAccountId)
    {
        if (profile.State.Account is null)
            throw CrmException.Precondition($"parent account '{Id}' does not exist");
        var children = members.State.ChildAccountIds;
        if (children.Contains(childAccountId)) return;
        if (children.Count >= Limits.SubAccountsPerAccount)
            throw CrmException.Precondition($"account '{Id}' already has {Limits.SubAccountsPerAccount} sub-accounts");
        await members.WriteAsync(members.State with { ChildAccountIds = SortedInsert(children, childAccountId), Version = members.State.Version + 1 }, this);
    }

    public async Task RemoveChildAsync(string childAccountId)
    {
        if (!members.State.ChildAccountIds.Contains(childAccountId)) return;
        await members.WriteAsync(members.State with { ChildAccountIds = members.State.ChildAccountIds.Where(c => c != childAccountId).ToArray(), Version = members.State.Version + 1 }, this);
    }

    // ---------------------------------------------------------------- contact roster

    public async Task AttachContactAsync(string contactId, ContactLinks links)
    {
        if (profile.State.Account is null) throw CrmException.Precondition($"account '{Id}' does not exist");
        CheckLinks(contactId, links);
        var roster = members.State.ContactIds;
        if (roster.Contains(contactId)) return;
        if (roster.Count >= Limits.ContactsPerAccount)
            throw CrmException.Precondition($"account '{Id}' already has {Limits.ContactsPerAccount} contacts");
        await members.WriteAsync(members.State with { ContactIds = SortedInsert(roster, contactId), Version = members.State.Version + 1 }, this);
    }

    public Task CheckContactLinksAsync(string contactId, ContactLinks links)
    {
        if (profile.State.Account is null) throw CrmException.Precondition($"account '{Id}' does not exist");
        CheckLinks(contactId, links);
        return Task.CompletedTask;
    }

    private void CheckLinks(string contactId, ContactLinks links)
    {
        if (links.OrgUnitId.Length > 0 && Current.OrganisationProfile.Units.All(u => u.UnitId != links.OrgUnitId))
            throw CrmException.Precondition($"account '{Id}' has no organisation unit '{links.OrgUnitId}' (contact.org_unit_id)");
        if (links.ReportsToContactId.Length > 0
            && (links.ReportsToContactId == contactId || !members.State.ContactIds.Contains(links.ReportsToContactId)))
            throw CrmException.Precondition($"contact '{links.ReportsToContactId}' is not a contact of account '{Id}' (contact.reports_to_contact_id)");
    }

    public async Task DetachContactAsync(string contactId)
    {
        if (!members.State.ContactIds.Contains(contactId)) return;

        // A deleted contact leaves every buying centre of the account.
        var now = clock.GetUtcNow();
        var version = opportunities.State.LastVersion;
        var changed = false;
        var items = opportunities.State.Items.Select(view =>
        {
            if (view.Opportunity.BuyingCentre.All(m => m.ContactId != contactId)) return view;
            changed = true;
            var opportunity = view.Opportunity with { BuyingCentre = view.Opportunity.BuyingCentre.Where(m => m.ContactId != contactId).ToArray() };
            return view with { Opportunity = opportunity, Version = ++version, UpdatedAt = now };
        }).ToArray();
        if (changed) await opportunities.WriteAsync(new OpportunitiesState { Items = items, LastVersion = version }, this);

        await members.WriteAsync(members.State with { ContactIds = members.State.ContactIds.Where(c => c != contactId).ToArray(), Version = members.State.Version + 1 }, this);
    }

    public Task<IReadOnlyList<string>> ListContactIdsAsync(string afterContactId, int limit)
    {
        _ = Current;
        IReadOnlyList<string> page = members.State.ContactIds
            .Where(c => string.CompareOrdinal(c, afterContactId) > 0).Take(limit).ToArray();
        return Task.FromResult(page);
    }

    // ---------------------------------------------------------------- opportunities

    public async Task<OpportunityView> CreateOpportunityAsync(Opportunity opportunity)
    {
        _ = Current;
        CheckKey(opportunity.AccountId, "opportunity.account_id");
        ValidateOpportunity(opportunity);
        var items = opportunities.State.Items;
        if (items.Any(o => o.Opportunity.OpportunityId == opportunity.OpportunityId))
            throw CrmException.AlreadyExists($"account '{Id}' already has opportunity '{opportunity.OpportunityId}'");
        if (items.Count >= Limits.OpportunitiesPerAccount)
            throw CrmException.Precondition($"account '{Id}' already holds {Limits.OpportunitiesPerAccount} opportunities; delete closed ones first");

        var now = clock.GetUtcNow();
        var version = opportunities.State.LastVersion + 1;
        var view = new OpportunityView(opportunity, version, now, now);
        var next = new OpportunitiesState
        {
            Items = items.Append(view).OrderBy(o => o.Opportunity.OpportunityId, StringComparer.Ordinal).ToArray(),
            LastVersion = version,
        };
        EnsureFits(next, OpportunitiesStateBytes, "the account's opportunities");
        await opportunities.WriteAsync(next, this);
        return view;
    }

    public Task<OpportunityView> GetOpportunityAsync(string opportunityId)
    {
        _ = Current;
        return Task.FromResult(FindOpportunity(opportunityId));
    }

    public async Task<OpportunityView> UpdateOpportunityAsync(Opportunity opportunity, string expectedEtag)
    {
        _ = Current;
        var current = FindOpportunity(opportunity.OpportunityId);
        CheckEtag(expectedEtag, "opportunity", current.Version);
        CheckKey(opportunity.AccountId, "opportunity.account_id");
        ValidateOpportunity(opportunity);

        var version = opportunities.State.LastVersion + 1;
        var view = current with { Opportunity = opportunity, Version = version, UpdatedAt = clock.GetUtcNow() };
        var next = new OpportunitiesState
        {
            Items = opportunities.State.Items.Select(o => o.Opportunity.OpportunityId == opportunity.OpportunityId ? view : o).ToArray(),
            LastVersion = version,
        };
        EnsureFits(next, OpportunitiesStateBytes, "the account's opportunities");
        await opportunities.WriteAsync(next, this);
        return view;
    }

    public async Task DeleteOpportunityAsync(string opportunityId, string expectedEtag)
    {
        _ = Current;
        var current = FindOpportunity(opportunityId);
        if (expectedEtag.Length > 0) CheckEtag(expectedEtag, "opportunity", current.Version);
        await opportunities.WriteAsync(opportunities.State with
        {
            Items = opportunities.State.Items.Where(o => o.Opportunity.OpportunityId != opportunityId).ToArray(),
        }, this);
    }

    public Task<IReadOnlyList<OpportunityView>> ListOpportunitiesAsync(string afterOpportunityId, int limit, OpportunityStatus status)
    {
        _ = Current;
        IReadOnlyList<OpportunityView> page = opportunities.State.Items
            .Where(o => string.CompareOrdinal(o.Opportunity.OpportunityId, afterOpportunityId) > 0)
            .Where(o => status == OpportunityStatus.Unspecified || o.Opportunity.Status == status)
            .Take(limit).ToArray();
        return Task.FromResult(page);
    }

    private OpportunityView FindOpportunity(string opportunityId) =>
        opportunities.State.Items.FirstOrDefault(o => o.Opportunity.OpportunityId == opportunityId)
        ?? throw CrmException.NotFound($"account '{Id}' has no opportunity '{opportunityId}'");

    private void ValidateOpportunity(Opportunity opportunity)
    {
        var violations = new Violations();
        OpportunityRules.Validate(opportunity, violations);
        violations.ThrowIfAny();
        var unknown = opportunity.BuyingCentre.Select(m => m.ContactId).Where(c => !members.State.ContactIds.Contains(c)).ToList();
        if (unknown.Count > 0)
            throw CrmException.Precondition($"the buying centre names contact(s) not on account '{Id}': {string.Join(", ", unknown)}");
    }

    // ---------------------------------------------------------------- activity timeline

    public async Task<Activity> LogActivityAsync(Activity activity)
    {
        _ = Current;
        CheckKey(activity.AccountId, "activity.account_id");
        var violations = new Violations();
        ActivityRules.Validate(activity, _activityTypes, violations);
        violations.ThrowIfAny();
        var strangers = activity.ContactIds.Where(c => !members.State.ContactIds.Contains(c)).ToList();
        if (strangers.Count > 0)
            throw CrmException.Precondition($"contact(s) not on account '{Id}': {string.Join(", ", strangers)} (activity.contact_ids)");
        if (activity.OpportunityId.Length > 0 && opportunities.State.Items.All(o => o.Opportunity.OpportunityId != activity.OpportunityId))
            throw CrmException.Precondition($"account '{Id}' has no opportunity '{activity.OpportunityId}' (activity.opportunity_id)");

        _activityIds ??= activityIndex.State.IdHashes.ToHashSet();
        var idHash = Domain.StableHash.Fnv1a64(activity.ActivityId);
        if (_activityIds.Contains(idHash))
            throw CrmException.AlreadyExists($"account '{Id}' already has activity '{activity.ActivityId}'");
        if (_activityIds.Count >= Limits.ActivitiesPerAccount)
            throw CrmException.Precondition($"account '{Id}' already holds {Limits.ActivitiesPerAccount} activities");

        var month = IActivityMonthGrain.MonthOf(activity.OccurredAt);
        await GrainFactory.GetGrain<IActivityMonthGrain>(IActivityMonthGrain.KeyOf(Id, month)).AppendAsync(activity);

        var months = activityIndex.State.Months.Contains(month)
            ? activityIndex.State.Months
            : activityIndex.State.Months.Append(month).Order().ToArray();
        await activityIndex.WriteAsync(new ActivityIndexState { Months = months, IdHashes = [.. activityIndex.State.IdHashes, idHash], Version = activityIndex.State.Version + 1 }, this);
        _activityIds.Add(idHash);
        return activity;
    }

    public async Task<IReadOnlyList<Activity>> ListActivitiesAsync(ActivityCursor? after, int limit)
    {
        _ = Current;
        var startMonth = after is null ? int.MaxValue : IActivityMonthGrain.MonthOf(after.OccurredAt);
        var page = new List<Activity>(limit);
        foreach (var month in activityIndex.State.Months.Where(m => m <= startMonth).OrderDescending())
        {
            var items = await GrainFactory.GetGrain<IActivityMonthGrain>(IActivityMonthGrain.KeyOf(Id, month)).ReadAsync(after, limit - page.Count);
            page.AddRange(items);
            if (page.Count >= limit) break;
        }
        return page;
    }

    // ---------------------------------------------------------------- revenue ledger

    public async Task<IReadOnlyList<RevenueOutcome>> RecordRevenueAsync(IReadOnlyList<RevenueEntry> entries)
    {
        var outcomes = await ApplyRevenueAsync(entries);
        ActorCrmMetrics.RevenueOutcomes(outcomes);
        return outcomes;
    }

    private async Task<IReadOnlyList<RevenueOutcome>> ApplyRevenueAsync(IReadOnlyList<RevenueEntry> entries)
    {
        if (profile.State.Account is null)
            return entries.Select(_ => RevenueOutcome.Rejected(RevenueReasons.UnknownAccount, $"account '{Id}' does not exist")).ToArray();

        var today = _window.LocalDay(clock.GetUtcNow());
        var book = new RevenueLedger(ledger.State, _window, rankingOptions.Value.MaxEventsPerAccount);
        var pruned = book.Prune(today);
        var outcomes = book.Apply(entries, today);
        if (!book.HasChanges && !pruned) return outcomes;

        if (await SaveLedgerAsync(book) is { } error)
        {
            DeactivateOnIdle();
            logger.LogWarning(error, "Account {AccountId}: ledger write failed; {Count} events not accepted", Id, outcomes.Count(o => o.Status == RevenueStatus.Accepted));
            var unavailable = RevenueOutcome.Rejected(RevenueReasons.Unavailable, "storage did not confirm the write; resend the event");
            return outcomes.Select(o => o.Status == RevenueStatus.Accepted ? unavailable : o).ToArray();
        }
        await ReportRevenueAsync();
        return outcomes;
    }

    /// <summary>
    /// Saves the ledger that <paramref name="book"/> changed. The ledger is large and a batch touches
    /// a few entries of it, so it is changed in place and undone exactly on failure, rather than
    /// copied: the served state is the saved one either way. Returns the failure, if any.
    /// </summary>
    private async Task<Exception?> SaveLedgerAsync(RevenueLedger book)
    {
        ledger.State.Version++;
        try
        {
            await ledger.WriteStateAsync();
            return null;
        }
        catch (Exception error)
        {
            book.Undo();
            ledger.State.Version--;
            return error;
        }
    }

    public Task<long> GetRevenueTotalAsync()
    {
        _ = Current;
        var today = _window.LocalDay(clock.GetUtcNow());
        return Task.FromResult(_window.TotalAt(ledger.State.SortedBuckets(), today).Total);
    }

    public Task<IReadOnlyList<RevenueEntry>> ListRevenueEventsAsync(string afterEventId, int limit)
    {
        _ = Current;
        IReadOnlyList<RevenueEntry> page = ledger.State.Events
            .Where(e => string.CompareOrdinal(e.Key, afterEventId) > 0)
            .OrderBy(e => e.Key, StringComparer.Ordinal)
            .Take(limit)
            .Select(e => new RevenueEntry(e.Key, e.Value.AmountMinor, new DateTimeOffset(e.Value.OccurredAtUtcTicks, TimeSpan.Zero)))
            .ToArray();
        return Task.FromResult(page);
    }

    public Task<RankingBatch> GetRankingReportsAsync() =>
        Task.FromResult(new RankingBatch(
            ledger.State.Version > 0 ? [RevenueReportNow()] : [],
            profile.State.Version > 0 ? [HierarchyReportNow()] : []));

    private RevenueReport RevenueReportNow() => new(Id, ledger.State.Version, ledger.State.SortedBuckets());

    private HierarchyReport HierarchyReportNow() =>
        new(Id, profile.State.Account?.ParentAccountId ?? "", profile.State.Version, profile.State.Account is null);

    /// <summary>
    /// Hands the ledger's absolute state to this silo's pre-aggregator. The ledger is already saved:
    /// if the report is lost (say the silo dies before the flush), reconciliation recovers it.
    /// </summary>
    private Task ReportRevenueAsync() =>
        TryAsync(() => GrainFactory.GetGrain<IRankingReporterGrain>(0).ReportRevenueAsync(RevenueReportNow()), "report revenue to the ranking");

    private Task ReportHierarchyAsync() =>
        TryAsync(() => GrainFactory.GetGrain<IRankingReporterGrain>(0).ReportHierarchyAsync(HierarchyReportNow()), "report its parent to the ranking");

    // ---------------------------------------------------------------- helpers

    private void CheckKey(string id, string field)
    {
        if (id != Id) throw CrmException.Invalid(field, $"'{id}' does not match the addressed account '{Id}'");
    }

    private static void CheckEtag(string expectedEtag, string what, long version)
    {
        if (!Etags.Matches(expectedEtag, version)) throw CrmException.StaleEtag(what, expectedEtag, Etags.Format(version));
    }

    private void EnsureFits<T>(T state, int maxBytes, string what)
    {
        var size = serializer.SerializeToArray(state).Length;
        if (size > maxBytes)
            throw CrmException.Precondition($"{what} would take {size / 1024} KB; at most {maxBytes / 1024} KB are allowed");
    }

    private static string[] SortedInsert(IReadOnlyList<string> sorted, string id)
    {
        var list = sorted.ToList();
        var index = list.BinarySearch(id, StringComparer.Ordinal);
        list.Insert(index < 0 ? ~index : index, id);
        return [.. list];
    }

    private async Task TryAsync(Func<Task> action, string what)
    {
        try
        {
            await action();
        }
        catch (Exception error)
        {
            logger.LogWarning(error, "Account {AccountId}: could not {Step}; it is repaired later", Id, what);
        }
    }

    /// <summary>
    /// Keeps the directory (the ListAccounts index) in step with the account. The account's own
    /// write is already durable, so a failed index update does not fail the command: it is retried
    /// on a timer until it lands.
    /// </summary>
    private async Task PublishSummaryAsync()
    {
        try
        {
            await AccountDirectory.PartitionFor(GrainFactory, Id).UpsertAsync(AccountSummary.Of(View(profile.State)));
            StopIndexRetry();
        }
        catch (Exception error)
        {
            logger.LogWarning(error, "Account {AccountId}: directory update failed; retrying", Id);
            _indexRetry ??= this.RegisterGrainTimer(
                async () =>
                {
                    if (profile.State.Account is not null) await PublishSummaryAsync();
                    else StopIndexRetry();
                },
                new GrainTimerCreationOptions(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)) { KeepAlive = true });
        }
    }

    private void StopIndexRetry()
    {
        _indexRetry?.Dispose();
        _indexRetry = null;
    }
}
