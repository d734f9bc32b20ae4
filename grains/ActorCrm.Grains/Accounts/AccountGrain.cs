using ActorCrm.Domain;
using ActorCrm.Domain.Errors;
using ActorCrm.Domain.Insights;
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
using Orleans.Storage;

namespace ActorCrm.Grains.Accounts;

/// <summary>
/// A key account. It owns four states (profile, opportunities, members, activity index) and writes
/// exactly one of them per command, except delete; its revenue ledger lives in its revenue partition
/// (AccountGrain.Revenue.cs), so loading an account never loads revenue history. Only the profile is
/// read on activation; the other three are read before the first call that needs them
/// (<see cref="LoadStatesForAsync"/>), so creating an account costs one read and one write. Not reentrant:
/// commands on one account run one at a time, so every check-then-write is atomic.
/// </summary>
public sealed partial class AccountGrain(
    [PersistentState("profile", StorageNames.AccountProfiles)] IPersistentState<AccountProfileState> profile,
    [FromKeyedServices(StorageNames.Crm)] IGrainStorage crmStorage,
    [FromKeyedServices(ProductClock.Key)] TimeProvider clock,
    IOptions<ActivityOptions> activityOptions,
    IOptions<RankingOptions> rankingOptions,
    IOptions<InsightOptions> insightOptions,
    Serializer serializer,
    GrainReadCache<AccountView> readCache,
    GrainReadCache<OpportunityView> opportunityCache,
    ILogger<AccountGrain> logger) : Grain, IAccountGrain
{
    /// <summary>Largest serialized opportunities state (the Azure Table entity limit is ~960 KB).</summary>
    private const int OpportunitiesStateBytes = 768 * 1024;

    private readonly IReadOnlySet<string> _activityTypes = activityOptions.Value.EffectiveTypes();
    private readonly RevenueWindowRules _window = rankingOptions.Value.WindowRules();
    private HashSet<ulong>? _activityIds;
    private IGrainTimer? _indexRetry;

    private IAccountDirectoryGrain? _directory;

    private LazyState<OpportunitiesState> _opportunities = null!;
    private LazyState<MembersState> _members = null!;
    private LazyState<ActivityIndexState> _activityIndex = null!;

    /// <summary>Calls that use the profile alone: they do not read the other states.</summary>
    private static readonly IReadOnlySet<string> ProfileOnly = new HashSet<string>(StringComparer.Ordinal)
    {
        nameof(CreateAsync), nameof(GetParentAsync), nameof(GetAccessAsync), nameof(AdoptChildAsync),
        nameof(AcceptsRevenueAsync), nameof(GetHierarchyReportAsync), nameof(OnRevenueChangedAsync),
        nameof(ReportPipelineAsync), // reads the opportunities alone
    };

    /// <summary>Reads, once per activation, the states a call of <paramref name="method"/> uses besides the profile.</summary>
    private Task LoadStatesForAsync(string method) => method switch
    {
        _ when ProfileOnly.Contains(method) => Task.CompletedTask,
        // Every other call reads all three: views carry insights (contacts, opportunities, their last activities).
        _ => Task.WhenAll(_opportunities.LoadAsync(), _members.LoadAsync(), _activityIndex.LoadAsync()),
    };

    /// <summary>The listing the directory confirmed last (in this activation).</summary>
    private AccountSummary? _listed;

    private string Id => this.GetPrimaryKeyString();

    private Account Current => profile.State.Account ?? throw CrmException.NotFound($"account '{Id}' does not exist");

    private AccountView View(AccountProfileState state) =>
        new(state.Account!, state.Version, state.CreatedAt, state.UpdatedAt, _members.State.ContactIds.Count)
        {
            Insights = Insights(state.Account!),
            InsightsValidUntil = _shareOfWallet is { } wallet && wallet.ReadAt + ShareOfWalletMaxAge < NextLocalMidnight() ? wallet.ReadAt + ShareOfWalletMaxAge : NextLocalMidnight(),
            Verified = state.Verified,
            ShareOfWallet = CurrentShareOfWallet(state.Account!),
        };

    /// <summary>
    /// The share of wallet read from the ranking, with what the account knows better itself: its own
    /// volume, and while watched its window revenue (pushed by its partition with every report), so a
    /// watcher sees its own share move with each event.
    /// </summary>
    private ShareOfWallet? CurrentShareOfWallet(Account account) => _shareOfWallet?.Value is not { } read ? null : read with
    {
        YearlyPurchaseVolumeMinor = account.OrganisationProfile.YearlyPurchaseVolumeMinor,
        WindowRevenueMinor = _revenue is null ? read.WindowRevenueMinor : RevenueWindowTotal(),
    };

    /// <summary>The share of wallet as last read from the ranking (which holds every account's window revenue and the hierarchy).</summary>
    private (ShareOfWallet Value, DateTimeOffset ReadAt)? _shareOfWallet;

    private TimeSpan ShareOfWalletMaxAge => TimeSpan.FromSeconds(insightOptions.Value.ShareOfWalletMaxAgeSeconds);

    /// <summary>Reads the share of wallet again once the one held is older than Insights:ShareOfWalletMaxAgeSeconds.</summary>
    private async Task RefreshShareOfWalletAsync()
    {
        var now = clock.GetUtcNow();
        if (_shareOfWallet is { } held && now < held.ReadAt + ShareOfWalletMaxAge) return;
        try
        {
            var wallet = await GrainFactory.GetGrain<IRankingGrain>(IRankingGrain.KeyOf(RankingScope.Group)).GetShareOfWalletAsync(Id);
            _shareOfWallet = (wallet, now);
        }
        catch (Exception error)
        {
            // A read must not fail for a figure the ranking cannot give right now: the reply goes without it.
            logger.LogWarning(error, "Account {AccountId}: could not read its share of wallet", Id);
        }
    }

    private DateTimeOffset NextLocalMidnight() => LocalMidnight(Today.AddDays(1));

    /// <summary>
    /// Coverage and red flags from the states this activation holds (a contact that has not reported
    /// yet counts as known by name only). Evaluated per view: part of it depends on today.
    /// </summary>
    private AccountInsights Insights(Account account)
    {
        var contacts = _members.State.ContactIds
            .Select(id => _members.State.Intel.TryGetValue(id, out var intel) ? intel : new ContactIntel(id, ContactLevel.Unspecified, false, []))
            .ToList();
        var lastActivity = _activityIndex.State.LastActivityByOpportunity;
        var opportunities = _opportunities.State.Items.Select(v => new OpportunityIntel(v.Opportunity, _window.LocalDay(v.CreatedAt),
            lastActivity.TryGetValue(v.Opportunity.OpportunityId, out var last) ? _window.LocalDay(last) : null)).ToList();
        var verified = VerifiedOn(profile.State.Verified) with
        {
            Opportunities = _opportunities.State.Items.ToDictionary(v => v.Opportunity.OpportunityId, v => _window.LocalDay(v.VerifiedAt), StringComparer.Ordinal),
            ContactProfiles = contacts.Where(c => c.ProfileVerifiedAt is not null)
                .ToDictionary(c => c.ContactId, c => _window.LocalDay(c.ProfileVerifiedAt!.Value), StringComparer.Ordinal),
        };
        return IntelCoverage.Evaluate(account, opportunities, contacts, Today, insightOptions.Value, verified);
    }

    /// <summary>The local days the account's own sections were verified on (a section never stamped: its last update).</summary>
    private IntelVerifiedOn VerifiedOn(AccountIntelVerification stamps) => new()
    {
        OrganisationProfile = _window.LocalDay(stamps.OrganisationProfile ?? profile.State.UpdatedAt),
        InstalledBase = _window.LocalDay(stamps.InstalledBase ?? profile.State.UpdatedAt),
        Competitors = (profile.State.Account?.Competitors ?? []).ToDictionary(c => c.Competitor,
            c => _window.LocalDay(stamps.Competitors.TryGetValue(c.Competitor, out var at) ? at : profile.State.UpdatedAt), StringComparer.Ordinal),
    };

    /// <summary>The insights of an account with no contacts or opportunities (a new one: a delete empties them).</summary>
    private AccountInsights InsightsWithoutMembers(AccountProfileState state) =>
        IntelCoverage.Evaluate(state.Account!, [], [], Today, insightOptions.Value, VerifiedOn(state.Verified));

    /// <summary>
    /// A write whose answer was lost in a storage outage may still have landed (the grain then
    /// deactivates): the stored profile is newer than what the rankings and the directory heard of.
    /// Both are versioned, so re-reporting on activation is harmless and closes that gap (the ledger
    /// does the same when it is loaded). A directory entry lost to a failed save converges here too.
    /// </summary>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Same names as the [PersistentState] attributes these states once had, so stored data is read as before.
        var grainId = this.GetGrainId();
        _opportunities = new(crmStorage, grainId, "opportunities");
        _members = new(crmStorage, grainId, "members");
        _activityIndex = new(crmStorage, grainId, "activities");

        if (profile.State.Version == 0) return;
        ReportHierarchy();
        if (profile.State.Account is not null) await PublishSummaryAsync();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        readCache.Invalidate(Id);
        InvalidateCachedOpportunities();
        return Task.CompletedTask;
    }

    /// <summary>The key of an opportunity in this silo's opportunity read cache (ids never contain '/').</summary>
    public static string OpportunityCacheKey(string accountId, string opportunityId) => $"{accountId}/{opportunityId}";

    /// <summary>Opportunity views this activation put in the silo's cache: any opportunities write removes them all.</summary>
    private HashSet<string>? _cachedOpportunities;

    private async Task WriteOpportunitiesAsync(OpportunitiesState next)
    {
        await _opportunities.WriteAsync(next, this);
        InvalidateCachedOpportunities();
        readCache.Invalidate(Id); // the account's view carries insights drawn from its opportunities
        await PublishCoverageAsync();
        await PublishPipelineAsync(opportunitiesWritten: true);
    }

    private void InvalidateCachedOpportunities()
    {
        if (_cachedOpportunities is null) return;
        foreach (var key in _cachedOpportunities) opportunityCache.Invalidate(key);
        _cachedOpportunities = null;
    }

    /// <summary>The two states the served view is made of: once a write of either is durable, this silo's cached view goes.</summary>
    private async Task WriteProfileAsync(AccountProfileState next)
    {
        await profile.WriteAsync(next, this);
        readCache.Invalidate(Id);
    }

    private async Task WriteMembersAsync(MembersState next)
    {
        await _members.WriteAsync(next, this);
        readCache.Invalidate(Id);
        await PublishCoverageAsync();
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
        var next = profile.State with
        {
            Account = account, Version = profile.State.Version + 1, CreatedAt = now, UpdatedAt = now,
            Verified = new AccountIntelVerification().After(null, account, now),
        };
        EnsureFits(next, Limits.ProfileStateBytes, "the account's profile");

        if (account.ParentAccountId.Length > 0) await GrainFactory.GetGrain<IAccountGrain>(account.ParentAccountId).AdoptChildAsync(Id);
        await WriteProfileAsync(next);
        logger.LogInformation("Account {AccountId} created (version {Version})", Id, next.Version);
        await PublishSummaryAsync(creating: true);
        ReportHierarchy();
        // A new account has no contacts or opportunities yet (a delete empties them): no need to read them.
        return new AccountView(account, next.Version, next.CreatedAt, next.UpdatedAt, ContactCount: 0)
        {
            Insights = InsightsWithoutMembers(next),
            InsightsValidUntil = NextLocalMidnight(),
            Verified = next.Verified,
        };
    }

    public async Task<AccountView> GetAsync()
    {
        _ = Current;
        await RefreshShareOfWalletAsync();
        var view = View(profile.State);
        readCache.Fill(Id, view);
        return view;
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
        if (newParent.Length > 0) await GrainFactory.GetGrain<IAccountGrain>(newParent).AdoptChildAsync(Id);
        var view = await ReplaceAsync(account, expectedEtag);
        logger.LogInformation("Account {AccountId} moved from {OldParentId} to {NewParentId}", Id, oldParent, newParent);
        ReportHierarchy();
        return view;
    }

    private async Task<AccountView> ReplaceAsync(Account account, string expectedEtag)
    {
        CheckKey(account.AccountId, "account.account_id");
        CheckEtag(expectedEtag, "account", profile.State.Version);
        var violations = new Violations();
        AccountRules.Validate(account, violations);
        violations.ThrowIfAny();

        var now = clock.GetUtcNow();
        var next = profile.State with
        {
            Account = account, Version = profile.State.Version + 1, UpdatedAt = now,
            Verified = profile.State.Verified.After(profile.State.Account, account, now),
        };
        EnsureFits(next, Limits.ProfileStateBytes, "the account's profile");
        await WriteProfileAsync(next);
        await PublishSummaryAsync();
        await PublishPipelineAsync(opportunitiesWritten: false); // owner, tier and parent are in its row
        ReportHierarchy(); // the ranked row shows the name and tier
        return View(next);
    }

    public async Task<AccountView> ConfirmIntelAsync(IReadOnlyList<IntelSection> sections)
    {
        var account = Current;
        foreach (var section in sections.Where(s => s.Kind == IntelSectionKind.Competitor))
            if (account.Competitors.All(c => c.Competitor != section.Subject))
                throw CrmException.NotFound($"account '{Id}' has no competitor '{section.Subject}'");
        var opportunityIds = sections.Where(s => s.Kind == IntelSectionKind.Opportunity).Select(s => s.Subject).ToHashSet(StringComparer.Ordinal);
        foreach (var opportunityId in opportunityIds) FindOpportunity(opportunityId);

        var now = clock.GetUtcNow();
        if (opportunityIds.Count > 0)
        {
            var version = _opportunities.State.LastVersion;
            var items = _opportunities.State.Items
                .Select(v => opportunityIds.Contains(v.Opportunity.OpportunityId) ? v with { Version = ++version, LastVerifiedAt = now } : v)
                .ToArray();
            await WriteOpportunitiesAsync(new OpportunitiesState { Items = items, LastVersion = version });
        }
        if (sections.Any(s => s.Kind is IntelSectionKind.OrganisationProfile or IntelSectionKind.InstalledBase or IntelSectionKind.Competitor))
        {
            await WriteProfileAsync(profile.State with { Version = profile.State.Version + 1, Verified = profile.State.Verified.Confirm(sections, now) });
            await PublishSummaryAsync();
        }
        return View(profile.State);
    }

    public async Task RefreshCoverageAsync()
    {
        _publishedCoverage = null;
        await PublishCoverageAsync();
    }

    public async Task DeleteAsync(string expectedEtag)
    {
        var current = Current;
        if (expectedEtag.Length > 0) CheckEtag(expectedEtag, "account", profile.State.Version);

        if (await FirstChildAsync() is { } child)
            throw CrmException.Precondition($"account '{Id}' has sub-accounts (e.g. '{child}'); delete or move them first");

        // Cascade first, tombstone last: if anything fails the account still exists and a retry finishes the job.
        _deleting = true; // its revenue partition takes no more events for it from here
        try
        {
            foreach (var batch in _members.State.ContactIds.Chunk(64))
                await Task.WhenAll(batch.Select(c => GrainFactory.GetGrain<IContactGrain>(c).EraseForAccountDeletionAsync(Id)));
            foreach (var month in _activityIndex.State.Months)
                await GrainFactory.GetGrain<IActivityMonthGrain>(IActivityMonthGrain.KeyOf(Id, month)).ClearAsync();
            await _activityIndex.WriteAsync(new ActivityIndexState { Version = _activityIndex.State.Version + 1 }, this);
            _activityIds = null;
            await WriteOpportunitiesAsync(new OpportunitiesState { LastVersion = _opportunities.State.LastVersion + 1 });
            await WriteMembersAsync(new MembersState { Version = _members.State.Version + 1 });
            await RevenuePartition.ClearAccountAsync(Id);
            var tombstone = new AccountProfileState { Version = profile.State.Version + 1 };
            await WriteProfileAsync(tombstone);
            logger.LogInformation("Account {AccountId} deleted (version {Version})", Id, tombstone.Version);
        }
        finally
        {
            _deleting = false;
        }
        StopIndexRetry();

        _listed = null;
        await TryAsync(() => AccountDirectory.PartitionFor(GrainFactory, Id).RemoveAsync(Id, profile.State.Version), "remove from the directory");
        ReportHierarchy();
    }

    // ---------------------------------------------------------------- hierarchy

    public Task<string?> GetParentAsync() => Task.FromResult(profile.State.Account?.ParentAccountId);

    public Task<AccountAccess?> GetAccessAsync() => Task.FromResult(profile.State.Account is { } account
        ? new AccountAccess(account.ParentAccountId, account.Owner, account.AccountTeam.Select(m => m.UserId).ToList())
        : null);

    /// <summary>Ids adopted while this activation lives: their directory entries may not be saved yet.</summary>
    private HashSet<string>? _children;

    public async Task AdoptChildAsync(string childAccountId)
    {
        if (profile.State.Account is null)
            throw CrmException.Precondition($"parent account '{Id}' does not exist");
        // Counted from the directory once per activation, then kept here: no write, no rewrite of a child list.
        _children ??= new HashSet<string>(await AccountDirectory.ListChildrenAsync(GrainFactory, Id, Limits.SubAccountsPerAccount), StringComparer.Ordinal);
        if (_children.Count >= Limits.SubAccountsPerAccount && !_children.Contains(childAccountId))
        {
            // Adoptions that did not complete may be counted: count again from the directory before refusing.
            _children = new HashSet<string>(await AccountDirectory.ListChildrenAsync(GrainFactory, Id, Limits.SubAccountsPerAccount), StringComparer.Ordinal);
            if (_children.Count >= Limits.SubAccountsPerAccount)
                throw CrmException.Precondition($"account '{Id}' already has {Limits.SubAccountsPerAccount} sub-accounts");
        }
        _children.Add(childAccountId);
    }

    /// <summary>
    /// A sub-account of this one, if any: the directory's children and those adopted in this
    /// activation (whose creation may still be under way) that really point at this account.
    /// </summary>
    private async Task<string?> FirstChildAsync()
    {
        var candidates = (await AccountDirectory.ListChildrenAsync(GrainFactory, Id, 64)).Union(_children ?? []).ToArray();
        foreach (var batch in candidates.Chunk(64))
        {
            var parents = await Task.WhenAll(batch.Select(c => GrainFactory.GetGrain<IAccountGrain>(c).GetParentAsync()));
            if (batch.Where((_, i) => parents[i] == Id).FirstOrDefault() is { } child) return child;
        }
        return null;
    }

    // ---------------------------------------------------------------- contact roster

    public async Task AttachContactAsync(string contactId, ContactLinks links)
    {
        if (profile.State.Account is null) throw CrmException.Precondition($"account '{Id}' does not exist");
        CheckLinks(contactId, links);
        var roster = _members.State.ContactIds;
        if (roster.Contains(contactId)) return;
        if (roster.Count >= Limits.ContactsPerAccount)
            throw CrmException.Precondition($"account '{Id}' already has {Limits.ContactsPerAccount} contacts");
        await WriteMembersAsync(_members.State with { ContactIds = SortedInsert(roster, contactId), Version = _members.State.Version + 1 });
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
            && (links.ReportsToContactId == contactId || !_members.State.ContactIds.Contains(links.ReportsToContactId)))
            throw CrmException.Precondition($"contact '{links.ReportsToContactId}' is not a contact of account '{Id}' (contact.reports_to_contact_id)");
    }

    public async Task DetachContactAsync(string contactId)
    {
        if (!_members.State.ContactIds.Contains(contactId)) return;

        // A deleted contact leaves every buying centre of the account.
        var now = clock.GetUtcNow();
        var version = _opportunities.State.LastVersion;
        var changed = false;
        var items = _opportunities.State.Items.Select(view =>
        {
            if (view.Opportunity.BuyingCentre.All(m => m.ContactId != contactId)) return view;
            changed = true;
            var opportunity = view.Opportunity with { BuyingCentre = view.Opportunity.BuyingCentre.Where(m => m.ContactId != contactId).ToArray() };
            return view with { Opportunity = opportunity, Version = ++version, UpdatedAt = now };
        }).ToArray();
        if (changed) await WriteOpportunitiesAsync(new OpportunitiesState { Items = items, LastVersion = version });

        var intel = _members.State.Intel.Where(pair => pair.Key != contactId).ToDictionary(StringComparer.Ordinal);
        await WriteMembersAsync(_members.State with
        {
            ContactIds = _members.State.ContactIds.Where(c => c != contactId).ToArray(), Intel = intel, Version = _members.State.Version + 1,
        });
    }

    public Task<IReadOnlyList<string>> ListContactIdsAsync(string afterContactId, int limit)
    {
        _ = Current;
        IReadOnlyList<string> page = _members.State.ContactIds
            .Where(c => string.CompareOrdinal(c, afterContactId) > 0).Take(limit).ToArray();
        return Task.FromResult(page);
    }

    // ---------------------------------------------------------------- opportunities

    public async Task<OpportunityView> CreateOpportunityAsync(Opportunity opportunity)
    {
        _ = Current;
        CheckKey(opportunity.AccountId, "opportunity.account_id");
        ValidateOpportunity(opportunity);
        var items = _opportunities.State.Items;
        if (items.Any(o => o.Opportunity.OpportunityId == opportunity.OpportunityId))
            throw CrmException.AlreadyExists($"account '{Id}' already has opportunity '{opportunity.OpportunityId}'");
        if (items.Count >= Limits.OpportunitiesPerAccount)
            throw CrmException.Precondition($"account '{Id}' already holds {Limits.OpportunitiesPerAccount} opportunities; delete closed ones first");

        var now = clock.GetUtcNow();
        var version = _opportunities.State.LastVersion + 1;
        var view = new OpportunityView(opportunity, version, now, now) { LastVerifiedAt = now };
        var next = new OpportunitiesState
        {
            Items = items.Append(view).OrderBy(o => o.Opportunity.OpportunityId, StringComparer.Ordinal).ToArray(),
            LastVersion = version,
        };
        EnsureFits(next, OpportunitiesStateBytes, "the account's opportunities");
        await WriteOpportunitiesAsync(next);
        return view;
    }

    public Task<OpportunityView> GetOpportunityAsync(string opportunityId)
    {
        _ = Current;
        var view = FindOpportunity(opportunityId);
        var key = OpportunityCacheKey(Id, opportunityId);
        opportunityCache.Fill(key, view);
        (_cachedOpportunities ??= new(StringComparer.Ordinal)).Add(key);
        return Task.FromResult(view);
    }

    public async Task<OpportunityView> UpdateOpportunityAsync(Opportunity opportunity, string expectedEtag)
    {
        _ = Current;
        var current = FindOpportunity(opportunity.OpportunityId);
        CheckEtag(expectedEtag, "opportunity", current.Version);
        CheckKey(opportunity.AccountId, "opportunity.account_id");
        ValidateOpportunity(opportunity);

        var version = _opportunities.State.LastVersion + 1;
        var now = clock.GetUtcNow();
        var view = current with { Opportunity = opportunity, Version = version, UpdatedAt = now, LastVerifiedAt = now };
        var next = new OpportunitiesState
        {
            Items = _opportunities.State.Items.Select(o => o.Opportunity.OpportunityId == opportunity.OpportunityId ? view : o).ToArray(),
            LastVersion = version,
        };
        EnsureFits(next, OpportunitiesStateBytes, "the account's opportunities");
        await WriteOpportunitiesAsync(next);
        return view;
    }

    public async Task DeleteOpportunityAsync(string opportunityId, string expectedEtag)
    {
        _ = Current;
        var current = FindOpportunity(opportunityId);
        if (expectedEtag.Length > 0) CheckEtag(expectedEtag, "opportunity", current.Version);
        await WriteOpportunitiesAsync(_opportunities.State with
        {
            Items = _opportunities.State.Items.Where(o => o.Opportunity.OpportunityId != opportunityId).ToArray(),
            LastVersion = _opportunities.State.LastVersion + 1, // a delete is a change too (pipeline and watch versions)
        });
    }

    public Task<IReadOnlyList<OpportunityView>> ListOpportunitiesAsync(string afterOpportunityId, int limit, OpportunityStatus status)
    {
        _ = Current;
        IReadOnlyList<OpportunityView> page = _opportunities.State.Items
            .Where(o => string.CompareOrdinal(o.Opportunity.OpportunityId, afterOpportunityId) > 0)
            .Where(o => status == OpportunityStatus.Unspecified || o.Opportunity.Status == status)
            .Take(limit).ToArray();
        return Task.FromResult(page);
    }

    private OpportunityView FindOpportunity(string opportunityId) =>
        _opportunities.State.Items.FirstOrDefault(o => o.Opportunity.OpportunityId == opportunityId)
        ?? throw CrmException.NotFound($"account '{Id}' has no opportunity '{opportunityId}'");

    private void ValidateOpportunity(Opportunity opportunity)
    {
        var violations = new Violations();
        OpportunityRules.Validate(opportunity, violations);
        violations.ThrowIfAny();
        var unknown = opportunity.BuyingCentre.Select(m => m.ContactId).Where(c => !_members.State.ContactIds.Contains(c)).ToList();
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
        var strangers = activity.ContactIds.Where(c => !_members.State.ContactIds.Contains(c)).ToList();
        if (strangers.Count > 0)
            throw CrmException.Precondition($"contact(s) not on account '{Id}': {string.Join(", ", strangers)} (activity.contact_ids)");
        if (activity.OpportunityId.Length > 0 && _opportunities.State.Items.All(o => o.Opportunity.OpportunityId != activity.OpportunityId))
            throw CrmException.Precondition($"account '{Id}' has no opportunity '{activity.OpportunityId}' (activity.opportunity_id)");

        _activityIds ??= _activityIndex.State.IdHashes.ToHashSet();
        var idHash = Domain.StableHash.Fnv1a64(activity.ActivityId);
        if (_activityIds.Contains(idHash))
            throw CrmException.AlreadyExists($"account '{Id}' already has activity '{activity.ActivityId}'");
        if (_activityIds.Count >= Limits.ActivitiesPerAccount)
            throw CrmException.Precondition($"account '{Id}' already holds {Limits.ActivitiesPerAccount} activities");

        var month = IActivityMonthGrain.MonthOf(activity.OccurredAt);
        await GrainFactory.GetGrain<IActivityMonthGrain>(IActivityMonthGrain.KeyOf(Id, month)).AppendAsync(activity);

        var months = _activityIndex.State.Months.Contains(month)
            ? _activityIndex.State.Months
            : _activityIndex.State.Months.Append(month).Order().ToArray();
        var lastActivity = _activityIndex.State.LastActivityByOpportunity;
        if (activity.OpportunityId.Length > 0 && (!lastActivity.TryGetValue(activity.OpportunityId, out var last) || last < activity.OccurredAt))
            lastActivity = new Dictionary<string, DateTimeOffset>(lastActivity, StringComparer.Ordinal) { [activity.OpportunityId] = activity.OccurredAt };
        await _activityIndex.WriteAsync(new ActivityIndexState
        {
            Months = months, IdHashes = [.. _activityIndex.State.IdHashes, idHash], Version = _activityIndex.State.Version + 1,
            LastActivityByOpportunity = lastActivity,
        }, this);
        readCache.Invalidate(Id); // the view's red flags count activities
        await PublishCoverageAsync();
        _activityIds.Add(idHash);
        return activity;
    }

    public async Task<IReadOnlyList<Activity>> ListActivitiesAsync(ActivityCursor? after, int limit)
    {
        _ = Current;
        var startMonth = after is null ? int.MaxValue : IActivityMonthGrain.MonthOf(after.OccurredAt);
        var page = new List<Activity>(limit);
        foreach (var month in _activityIndex.State.Months.Where(m => m <= startMonth).OrderDescending())
        {
            var items = await GrainFactory.GetGrain<IActivityMonthGrain>(IActivityMonthGrain.KeyOf(Id, month)).ReadAsync(after, limit - page.Count);
            page.AddRange(items);
            if (page.Count >= limit) break;
        }
        return page;
    }

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
    private async Task PublishSummaryAsync(bool creating = false)
    {
        var summary = WithCoverage(AccountSummary.Of(profile.State.Account!, profile.State.Version), creating);
        if (_listed is not null && _listed.SameListing(summary)) return;
        try
        {
            await (_directory ??= AccountDirectory.PartitionFor(GrainFactory, Id)).UpsertAsync(summary);
            _listed = summary;
            if (summary.CoverageVersion > 0) _publishedCoverage = (summary.Coverage, summary.CoverageValidUntil);
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

    /// <summary>
    /// The summary with the account's coverage when this activation can compute it: with its states
    /// read, or for a new account (which has no contacts or opportunities: a delete empties them).
    /// Otherwise it goes without, and the directory keeps the coverage it holds.
    /// </summary>
    private AccountSummary WithCoverage(AccountSummary summary, bool creating)
    {
        if (_members.IsLoaded && _opportunities.IsLoaded && _activityIndex.IsLoaded)
            return WithCoverage(summary, Insights(profile.State.Account!), CoverageVersion);
        if (creating) return WithCoverage(summary, InsightsWithoutMembers(profile.State), profile.State.Version);
        return summary;
    }

    private AccountSummary WithCoverage(AccountSummary summary, AccountInsights insights, long coverageVersion) => summary with
    {
        Coverage = insights.Overall,
        CoverageVersion = coverageVersion,
        CoverageEvaluatedAt = clock.GetUtcNow(),
        CoverageValidUntil = insights.NextStaleDay is { } day ? LocalMidnight(day) : null,
    };

    private DateTimeOffset LocalMidnight(DateOnly day) =>
        new(TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified), _window.TimeZone), TimeSpan.Zero);

    /// <summary>Grows with every write of any of the account's states (revenue aside): the order of its coverage reports.</summary>
    private long CoverageVersion => profile.State.Version + _opportunities.State.LastVersion + _members.State.Version + _activityIndex.State.Version;

    /// <summary>The coverage last published, and until when it holds (a fresh section turning stale lowers it).</summary>
    private (double Coverage, DateTimeOffset? ValidUntil)? _publishedCoverage;

    /// <summary>
    /// After a write of contacts, opportunities or activities: tells the directory the new coverage if
    /// it moved (so lists filter and sort by it). Best effort: the write is already durable; a lost
    /// report is corrected by the next one.
    /// </summary>
    private async Task PublishCoverageAsync()
    {
        if (profile.State.Account is not { } account) return;
        var report = WithCoverage(AccountSummary.Of(account, profile.State.Version), Insights(account), CoverageVersion);
        if ((report.Coverage, report.CoverageValidUntil) == _publishedCoverage) return;
        try
        {
            await (_directory ??= AccountDirectory.PartitionFor(GrainFactory, Id)).SetCoverageAsync(Id, report);
            _publishedCoverage = (report.Coverage, report.CoverageValidUntil);
        }
        catch (Exception error)
        {
            logger.LogWarning(error, "Account {AccountId}: could not publish its coverage; the next change does", Id);
        }
    }

    private void StopIndexRetry()
    {
        _indexRetry?.Dispose();
        _indexRetry = null;
    }
}
