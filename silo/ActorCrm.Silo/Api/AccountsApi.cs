using ActorCrm.Domain.Validation;
using ActorCrm.Grains;
using ActorCrm.Grains.Infrastructure;
using ActorCrm.Grains.Ranking;
using ActorCrm.Domain.Errors;
using ActorCrm.Domain.Insights;
using ActorCrm.Silo.Mapping;
using ActorCrm.Silo.Security;
using ActorCrm.Silo.Watching;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using D = ActorCrm.Domain.Model;
using Proto = ActorCrm.Api.V1;

namespace ActorCrm.Silo.Api;

/// <summary>
/// actorcrm.v1.AccountService: validates the request's shape, calls the account grain, maps the
/// answer. GetAccount is answered from this silo's read cache when the account's
/// grain is active here (its reply rendered once per version), else by the grain.
/// </summary>
public sealed class AccountsApi(IGrainFactory grains, GrainReadCache<D.AccountView> readCache, WatchHub hub, AccessPolicy access, Auditor auditor,
    PersonalDataGuard personal,
    [FromKeyedServices(ProductClock.Key)] TimeProvider clock, ILogger<AccountsApi> logger) : Proto.AccountService.AccountServiceBase
{
    public const int MaxBatchCreate = 1_000;

    /// <summary>Creates of one batch running at the same time.</summary>
    private const int MaxCreatesInFlight = 128;

    private static readonly IReadOnlySet<string> OutputOrKey = UpdateMasks.Fields(Proto.Account.Descriptor,
        "account_id", "etag", "create_time", "update_time", "contact_count", "insights", "installed_base_last_verified_time");

    public override async Task<Proto.Account> CreateAccount(Proto.CreateAccountRequest request, ServerCallContext context)
    {
        var account = Require.Present(request.Account, "account");
        Require.Id(account.AccountId, "account.account_id");
        await RequireMayCreateAsync(context, account);
        var view = await grains.GetKeyed<IAccountGrain>(account.AccountId).CreateAsync(ProtoMapper.ToDomain(account));
        return ProtoMapper.ToProto(view);
    }

    public override async Task<Proto.BatchCreateAccountsResponse> BatchCreateAccounts(Proto.BatchCreateAccountsRequest request, ServerCallContext context)
    {
        var requests = request.Requests;
        if (requests.Count is 0 or > MaxBatchCreate)
            throw CrmException.Invalid("requests", $"must hold 1..{MaxBatchCreate:N0} creates, not {requests.Count:N0}");

        var results = new Proto.BatchCreateAccountResult[requests.Count];
        // Waves: an account whose parent is created in the same batch goes in a later wave than its parent.
        foreach (var wave in CreateBatch.Waves(requests.Select(r => (r.Account?.AccountId ?? "", r.Account?.ParentAccountId ?? "")).ToList()))
        {
            await Parallel.ForEachAsync(wave, new ParallelOptions { MaxDegreeOfParallelism = MaxCreatesInFlight, CancellationToken = context.CancellationToken }, async (index, _) =>
            {
                try
                {
                    results[index] = new Proto.BatchCreateAccountResult
                    {
                        Status = new Google.Rpc.Status(),
                        Account = await CreateAccount(requests[index], context),
                    };
                }
                catch (Exception error)
                {
                    results[index] = new Proto.BatchCreateAccountResult { Status = ApiInterceptor.StatusOf(error, context.Method, logger) };
                }
            });
        }
        foreach (var repeated in CreateBatch.Repeats(requests.Select(r => r.Account?.AccountId ?? "").ToList()))
            results[repeated] = new Proto.BatchCreateAccountResult
            {
                Status = ApiInterceptor.StatusOf(CrmException.Invalid("account.account_id", "appears earlier in the batch"), context.Method, logger),
            };

        var response = new Proto.BatchCreateAccountsResponse();
        response.Results.AddRange(results);
        return response;
    }

    /// <summary>
    /// A caller limited to some accounts may create one below an account it sees, or a top-level
    /// account on whose team (or as whose owner) it puts itself; a scoped service, one its key lists.
    /// </summary>
    private async ValueTask RequireMayCreateAsync(ServerCallContext context, Proto.Account account)
    {
        var caller = context.Caller();
        if (caller.Scope.IsAll) return;
        if (account.ParentAccountId.Length > 0 && await access.CanSeeAsync(caller, account.ParentAccountId)) return;
        if (caller.Scope.Accounts?.Contains(account.AccountId) == true) return;
        if (caller.Scope.TeamMember is { } user && (account.Owner == user || account.AccountTeam.Any(m => m.UserId == user))) return;
        await access.DenyAsync(caller, context.Method, Auditor.AccountSubject(account.AccountId), caller.Scope.TeamMember is not null
            ? $"{caller.Id} may create accounts below accounts they see, or accounts they own or are on the team of"
            : $"account {account.AccountId} is outside what {caller.Id} may touch");
    }

    public override Task<Proto.Account> GetAccount(Proto.GetAccountRequest request, ServerCallContext context)
    {
        Require.Id(request.AccountId, "account_id");
        var caller = context.Caller();
        if (request.ReadMask is { Paths.Count: > 0 }) UpdateMasks.CheckReadMask(Proto.Account.Descriptor, request.ReadMask);
        if (!caller.Scope.IsAll || request.ReadMask is { Paths.Count: > 0 }) return GetCheckedAsync(context, request);
        // A cached reply is served until the day its insights were computed for ends.
        if (readCache.TryGet(request.AccountId, out var cached) && clock.GetUtcNow() < cached.View.InsightsValidUntil)
            return Task.FromResult((Proto.Account)(cached.Rendered ??= ProtoMapper.ToProto(cached.View)));
        return GetFromGrainAsync(request.AccountId);
    }

    /// <summary>
    /// A scoped caller's read (its scope checked first) or a read with a mask (the fields selected
    /// from the full reply; a cached view keeps the masked replies it was read with, so repeated
    /// reads with the same mask cost what a full cached read costs).
    /// </summary>
    private async Task<Proto.Account> GetCheckedAsync(ServerCallContext context, Proto.GetAccountRequest request)
    {
        await access.RequireAccountAsync(context, request.AccountId);
        var mask = request.ReadMask is { Paths.Count: > 0 } ? request.ReadMask : null;
        if (readCache.TryGet(request.AccountId, out var cached) && clock.GetUtcNow() < cached.View.InsightsValidUntil)
            return mask is null
                ? (Proto.Account)(cached.Rendered ??= ProtoMapper.ToProto(cached.View))
                : (Proto.Account)cached.Variant(string.Join(',', mask.Paths),
                    entry => UpdateMasks.Select((Proto.Account)(entry.Rendered ??= ProtoMapper.ToProto(entry.View)), mask));
        var full = await GetFromGrainAsync(request.AccountId);
        return mask is null ? full : UpdateMasks.Select(full, mask);
    }

    private async Task<Proto.Account> GetFromGrainAsync(string accountId) =>
        ProtoMapper.ToProto(await grains.GetKeyed<IAccountGrain>(accountId).GetAsync());


    public override async Task<Proto.Account> UpdateAccount(Proto.UpdateAccountRequest request, ServerCallContext context)
    {
        var patch = Require.Present(request.Account, "account");
        Require.Id(patch.AccountId, "account.account_id");
        var etag = Require.Etag(patch.Etag, "account.etag");
        var caller = context.Caller();
        await access.RequireAccountAsync(context, patch.AccountId);
        var grain = grains.GetKeyed<IAccountGrain>(patch.AccountId);
        var current = await grain.GetAsync();
        var merged = ProtoMapper.ToDomain(UpdateMasks.Apply(ProtoMapper.ToProto(current), patch, request.UpdateMask, OutputOrKey));
        if (merged.ParentAccountId != current.Account.ParentAccountId && merged.ParentAccountId.Length > 0)
            await access.RequireAccountAsync(context, merged.ParentAccountId); // a move may not hide an account under one the caller cannot see

        // A move in the hierarchy is serialized by the coordinator; everything else goes straight to
        // the account. Either way the grain re-checks the etag, so a change since our read is ABORTED.
        var view = merged.ParentAccountId != current.Account.ParentAccountId
            ? await grains.GetGrain<IAccountHierarchyGrain>(IAccountHierarchyGrain.Key).MoveAsync(merged, etag)
            : await grain.UpdateAsync(merged, etag);
        var critical = CriticalChanges(current.Account, view.Account);
        if (critical.Count > 0) await auditor.RecordAsync(context, AuditAction.CriticalFieldsChanged, Auditor.AccountSubject(patch.AccountId), critical);
        return ProtoMapper.ToProto(view);
    }

    /// <summary>The business-critical fields (owner, tier, account team, parent) that differ, by proto name.</summary>
    private static List<string> CriticalChanges(D.Account before, D.Account after)
    {
        var changed = new List<string>();
        if (before.Owner != after.Owner) changed.Add("owner");
        if (before.Tier != after.Tier) changed.Add("tier");
        if (!before.AccountTeam.SequenceEqual(after.AccountTeam)) changed.Add("account_team");
        if (before.ParentAccountId != after.ParentAccountId) changed.Add("parent_account_id");
        return changed;
    }

    public const int MaxConfirmedSections = 100;

    public override async Task<Proto.Account> ConfirmIntel(Proto.ConfirmIntelRequest request, ServerCallContext context)
    {
        Require.Id(request.AccountId, "account_id");
        var sections = ConfirmedSections(request);
        await access.RequireAccountAsync(context, request.AccountId);
        var contactIds = sections.Where(s => s.Kind == IntelSectionKind.ContactProfile).Select(s => s.Subject).Distinct().ToList();
        foreach (var contactId in contactIds) await personal.RequireWriteAsync(context, contactId, ["personal_profile"]);
        // Every contact is checked before anything is written, so a NOT_FOUND confirms nothing.
        foreach (var contactId in contactIds)
            if ((await grains.GetKeyed<IContactGrain>(contactId).TryGetAsync())?.Contact.AccountId != request.AccountId)
                throw CrmException.NotFound($"account '{request.AccountId}' has no contact '{contactId}'");

        // The account checks and confirms its own sections and opportunities in one go; the contacts
        // then record theirs and report them to the account (one-way: their share of the insights follows within moments).
        var view = await grains.GetKeyed<IAccountGrain>(request.AccountId).ConfirmIntelAsync(sections.Where(s => s.Kind != IntelSectionKind.ContactProfile).ToList());
        await Task.WhenAll(contactIds.Select(c => grains.GetKeyed<IContactGrain>(c).ConfirmProfileAsync(request.AccountId)));
        return ProtoMapper.ToProto(view);
    }

    private static List<IntelSection> ConfirmedSections(Proto.ConfirmIntelRequest request)
    {
        var violations = new Violations();
        if (request.Sections.Count is 0 or > MaxConfirmedSections)
            violations.Add("sections", $"must hold 1..{MaxConfirmedSections} sections, not {request.Sections.Count}");
        var sections = new List<IntelSection>();
        for (var i = 0; i < request.Sections.Count; i++)
        {
            var (kind, subject) = (request.Sections[i].Kind, request.Sections[i].Subject);
            var field = $"sections[{i}]";
            switch (kind)
            {
                case Proto.IntelSectionKind.OrganisationProfile or Proto.IntelSectionKind.InstalledBase:
                    if (subject.Length > 0) violations.Add($"{field}.subject", "must be empty for the account's organisation profile and installed base");
                    break;
                case Proto.IntelSectionKind.Competitor:
                    if (subject.Length is 0 or > 200) violations.Add($"{field}.subject", "must name the competitor (1..200 characters)");
                    break;
                case Proto.IntelSectionKind.Opportunity or Proto.IntelSectionKind.ContactProfile:
                    violations.Id(subject, $"{field}.subject");
                    break;
                default:
                    violations.Add($"{field}.kind", "must be set");
                    break;
            }
            sections.Add(new IntelSection((IntelSectionKind)kind, subject));
        }
        violations.ThrowIfAny();
        return sections;
    }

    public override async Task<Empty> DeleteAccount(Proto.DeleteAccountRequest request, ServerCallContext context)
    {
        Require.Id(request.AccountId, "account_id");
        await access.RequireAccountAsync(context, request.AccountId);
        await grains.GetKeyed<IAccountGrain>(request.AccountId).DeleteAsync(request.Etag);
        await auditor.RecordAsync(context, AuditAction.PersonalDataErased, Auditor.AccountSubject(request.AccountId), ["contacts"],
            "account deleted with its contacts and their personal data");
        return new Empty();
    }

    /// <summary>Most ranked accounts a list filtered by class or sorted by rank considers.</summary>
    private const int MaxRankedCandidates = 100_000;

    public override async Task<Proto.ListAccountsResponse> ListAccounts(Proto.ListAccountsRequest request, ServerCallContext context)
    {
        var pageSize = Paging.PageSize(request.PageSize);
        var token = Paging.Decode(request.PageToken);
        var violations = new Violations();
        violations.Optional((D.StrategicTier)request.Tier, "tier");
        violations.Id(request.ParentAccountId, "parent_account_id", required: false);
        violations.Id(request.Owner, "owner", required: false);
        violations.Line(request.NamePrefix, "name_prefix");
        violations.Optional(request.View, "view");
        violations.Optional(request.AbcClass, "abc_class");
        violations.Optional(request.Sort, "sort");
        if (request.MinCoverage is < 0 or > 1 || double.IsNaN(request.MinCoverage)) violations.Add("min_coverage", "must be 0..1");
        if (request.HasMaxCoverage && (request.MaxCoverage is < 0 or > 1 || double.IsNaN(request.MaxCoverage))) violations.Add("max_coverage", "must be 0..1");
        else if (request.HasMaxCoverage && request.MaxCoverage < request.MinCoverage) violations.Add("max_coverage", "must not be below min_coverage");
        violations.ThrowIfAny();

        var filters = new DirectoryQuery("", pageSize, (D.StrategicTier)request.Tier, request.ParentAccountId, request.Owner, request.NamePrefix)
        {
            MinCoverage = request.MinCoverage,
            MaxCoverage = request.HasMaxCoverage ? request.MaxCoverage : null,
        };
        var sort = request.Sort == Proto.AccountListSort.Unspecified ? Proto.AccountListSort.AccountId : request.Sort;
        var grade = (AbcGrade)request.AbcClass;
        var (found, nextToken) = grade != AbcGrade.Unranked || sort == Proto.AccountListSort.Rank
            ? await RankedPageAsync(filters, grade, sort, token)
            : sort == Proto.AccountListSort.AccountId
                ? await IdPageAsync(filters, token)
                : await CoveragePageAsync(filters, sort == Proto.AccountListSort.CoverageDescending, token);

        // A scoped caller's page leaves out the rows it may not see (the page may then be short; the token still moves on).
        var summaries = await access.VisibleAsync(context.Caller(), found, s => s.AccountId);
        // Rank and class are joined now, not copied into the directory: they move with every flush.
        var ranks = summaries.Count == 0 ? [] : await grains.GetGrain<IRankingGrain>(IRankingGrain.KeyOf(RankingScope.Account))
            .GetRanksAsync(summaries.Select(s => s.AccountId).ToList());
        var response = new Proto.ListAccountsResponse { NextPageToken = nextToken };
        if (request.View == Proto.AccountListView.Full)
        {
            var views = await Task.WhenAll(summaries.Select(s => grains.TryGetAccountAsync(s.AccountId)));
            for (var i = 0; i < summaries.Count; i++)
                if (views[i] is { } view) response.Accounts.Add(WithListingFigures(ProtoMapper.ToProto(view), summaries[i], ranks[i]));
        }
        else
        {
            for (var i = 0; i < summaries.Count; i++) response.Accounts.Add(WithListingFigures(ProtoMapper.ToProto(summaries[i]), summaries[i], ranks[i]));
        }
        return response;
    }

    private static Proto.Account WithListingFigures(Proto.Account row, AccountSummary summary, AccountRankView rank)
    {
        row.Coverage = summary.Coverage;
        row.Rank = rank.Rank;
        row.AbcClass = (Proto.AbcClass)rank.Grade;
        return row;
    }

    private async Task<(IReadOnlyList<AccountSummary>, string)> IdPageAsync(DirectoryQuery filters, string after)
    {
        var page = await AccountDirectory.QueryAsync(grains, filters with { AfterAccountId = after });
        return (page, page.Count == filters.Limit ? Paging.Encode(page[^1].AccountId) : "");
    }

    private async Task<(IReadOnlyList<AccountSummary>, string)> CoveragePageAsync(DirectoryQuery filters, bool descending, string token)
    {
        var after = token.Length == 0 ? null : ParseCoverageCursor(token);
        var page = await AccountDirectory.QueryByCoverageAsync(grains, filters, after, descending);
        return (page, page.Count == filters.Limit ? Paging.Encode(CoverageToken(page[^1])) : "");
    }

    /// <summary>
    /// Lists filtered by ABC class or sorted by rank start from the ranking (classes are bands of it),
    /// join the directory's entries and filter and sort those; the page follows the last row's key.
    /// </summary>
    private async Task<(IReadOnlyList<AccountSummary>, string)> RankedPageAsync(DirectoryQuery filters, AbcGrade grade, Proto.AccountListSort sort, string token)
    {
        var ranked = await grains.GetGrain<IRankingGrain>(IRankingGrain.KeyOf(RankingScope.Account)).ListRankedAsync(grade, MaxRankedCandidates);
        var rankOf = ranked.ToDictionary(r => r.AccountId, r => r.Rank, StringComparer.Ordinal);
        var entries = await AccountDirectory.GetManyAsync(grains, ranked.Select(r => r.AccountId).ToList());
        var candidates = entries.Where(filters.MatchesFilters);
        IReadOnlyList<AccountSummary> page;
        if (sort == Proto.AccountListSort.Rank)
        {
            var afterRank = token.Length == 0 ? 0 : long.TryParse(token, out var r) && r > 0 ? r : throw CrmException.Invalid("page_token", "is not a token returned by this API");
            page = candidates.Where(s => rankOf[s.AccountId] > afterRank).OrderBy(s => rankOf[s.AccountId]).Take(filters.Limit).ToList();
            return (page, page.Count == filters.Limit ? Paging.Encode(rankOf[page[^1].AccountId].ToString(System.Globalization.CultureInfo.InvariantCulture)) : "");
        }
        if (sort == Proto.AccountListSort.AccountId)
        {
            page = candidates.Where(s => string.CompareOrdinal(s.AccountId, token) > 0).OrderBy(s => s.AccountId, StringComparer.Ordinal).Take(filters.Limit).ToList();
            return (page, page.Count == filters.Limit ? Paging.Encode(page[^1].AccountId) : "");
        }
        var descending = sort == Proto.AccountListSort.CoverageDescending;
        var after = token.Length == 0 ? null : ParseCoverageCursor(token);
        page = candidates.Where(s => after is null || after.IsBefore(s, descending))
            .Order(Comparer<AccountSummary>.Create((a, b) => CoverageCursor.Compare(a, b, descending)))
            .Take(filters.Limit)
            .ToList();
        return (page, page.Count == filters.Limit ? Paging.Encode(CoverageToken(page[^1])) : "");
    }

    private static string CoverageToken(AccountSummary last) =>
        last.Coverage.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + "|" + last.AccountId;

    private static CoverageCursor ParseCoverageCursor(string token)
    {
        var bar = token.IndexOf('|');
        if (bar <= 0 || !double.TryParse(token.AsSpan(0, bar), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var coverage))
            throw CrmException.Invalid("page_token", "is not a token returned by this API");
        return new CoverageCursor(coverage, token[(bar + 1)..]);
    }

    /// <summary>One writer loop per stream: it takes the latest snapshot from the stream's inbox and writes it; the silo's hub fills the inbox.</summary>
    public override async Task WatchAccount(Proto.WatchAccountRequest request, IServerStreamWriter<Proto.AccountEvent> responseStream, ServerCallContext context)
    {
        Require.Id(request.AccountId, "account_id");
        if (request.ResumeAfterSequence < 0) throw CrmException.Invalid("resume_after_sequence", "must not be negative");
        await access.RequireAccountAsync(context, request.AccountId);
        var (subscription, feed) = await hub.WatchAccountAsync(request.AccountId);
        await using var _ = subscription;
        var sent = request.ResumeAfterSequence;
        var caller = context.Caller();
        await foreach (var snapshot in subscription.Reader.ReadAllAsync(context.CancellationToken))
        {
            if (snapshot.Sequence <= sent) continue;
            // A scoped caller taken off the account's team (or the account moved away) stops hearing of it.
            if (!caller.Scope.IsAll && snapshot.Account is not null) await access.RequireAccountAsync(context, request.AccountId);
            var contacts = request.IncludeContacts ? await feed.ContactsAsync(snapshot) : [];
            await responseStream.WriteAsync(ProtoMapper.ToProto(snapshot, contacts), context.CancellationToken);
            sent = snapshot.Sequence;
            if (snapshot.Account is null) return; // deleted: that was the last message
        }
    }
}
