using ActorCrm.Domain.Errors;
using ActorCrm.Domain.Pipeline;
using ActorCrm.Domain.Validation;
using ActorCrm.Grains;
using ActorCrm.Grains.Accounts;
using ActorCrm.Grains.Infrastructure;
using ActorCrm.Silo.Mapping;
using ActorCrm.Silo.Security;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;
using D = ActorCrm.Domain.Model;
using Proto = ActorCrm.Api.V1;

namespace ActorCrm.Silo.Api;

/// <summary>actorcrm.v1.OpportunityService: opportunities and the activity timeline, both held by the account grain.</summary>
public sealed class OpportunitiesApi(IGrainFactory grains, GrainReadCache<D.OpportunityView> readCache, AccessPolicy access, IOptions<RankingOptions> ranking)
    : Proto.OpportunityService.OpportunityServiceBase
{
    private static readonly IReadOnlySet<string> OutputOrKey = UpdateMasks.Fields(Proto.Opportunity.Descriptor,
        "account_id", "opportunity_id", "etag", "create_time", "update_time", "last_verified_time");

    public override async Task<Proto.Opportunity> CreateOpportunity(Proto.CreateOpportunityRequest request, ServerCallContext context)
    {
        var opportunity = Require.Present(request.Opportunity, "opportunity");
        Require.Id(opportunity.AccountId, "opportunity.account_id");
        Require.Id(opportunity.OpportunityId, "opportunity.opportunity_id");
        await access.RequireAccountAsync(context, opportunity.AccountId);
        var view = await Account(opportunity.AccountId).CreateOpportunityAsync(ProtoMapper.ToDomain(opportunity));
        return ProtoMapper.ToProto(view);
    }

    /// <summary>From this silo's read cache when the account's grain is active here and served it before, else from the grain.</summary>
    public override Task<Proto.Opportunity> GetOpportunity(Proto.GetOpportunityRequest request, ServerCallContext context)
    {
        Require.Id(request.AccountId, "account_id");
        Require.Id(request.OpportunityId, "opportunity_id");
        if (!context.Caller().Scope.IsAll) return GetScopedAsync(request.AccountId, request.OpportunityId, context);
        if (readCache.TryGet(AccountGrain.OpportunityCacheKey(request.AccountId, request.OpportunityId), out var cached))
            return Task.FromResult((Proto.Opportunity)(cached.Rendered ??= ProtoMapper.ToProto(cached.View)));
        return GetFromGrainAsync(request.AccountId, request.OpportunityId);
    }

    private async Task<Proto.Opportunity> GetFromGrainAsync(string accountId, string opportunityId) =>
        ProtoMapper.ToProto(await Account(accountId).GetOpportunityAsync(opportunityId));

    private async Task<Proto.Opportunity> GetScopedAsync(string accountId, string opportunityId, ServerCallContext context)
    {
        await access.RequireAccountAsync(context, accountId);
        return await GetFromGrainAsync(accountId, opportunityId);
    }

    public override async Task<Proto.Opportunity> UpdateOpportunity(Proto.UpdateOpportunityRequest request, ServerCallContext context)
    {
        var patch = Require.Present(request.Opportunity, "opportunity");
        Require.Id(patch.AccountId, "opportunity.account_id");
        Require.Id(patch.OpportunityId, "opportunity.opportunity_id");
        var etag = Require.Etag(patch.Etag, "opportunity.etag");
        await access.RequireAccountAsync(context, patch.AccountId);
        var account = Account(patch.AccountId);
        var current = await account.GetOpportunityAsync(patch.OpportunityId);
        var merged = UpdateMasks.Apply(ProtoMapper.ToProto(current), patch, request.UpdateMask, OutputOrKey);
        return ProtoMapper.ToProto(await account.UpdateOpportunityAsync(ProtoMapper.ToDomain(merged), etag));
    }

    public override async Task<Empty> DeleteOpportunity(Proto.DeleteOpportunityRequest request, ServerCallContext context)
    {
        Require.Id(request.AccountId, "account_id");
        Require.Id(request.OpportunityId, "opportunity_id");
        await access.RequireAccountAsync(context, request.AccountId);
        await Account(request.AccountId).DeleteOpportunityAsync(request.OpportunityId, request.Etag);
        return new Empty();
    }

    public override async Task<Proto.ListOpportunitiesResponse> ListOpportunities(Proto.ListOpportunitiesRequest request, ServerCallContext context)
    {
        Require.Id(request.AccountId, "account_id");
        var pageSize = Paging.PageSize(request.PageSize);
        var after = Paging.Decode(request.PageToken);
        var violations = new Violations();
        violations.Optional((D.OpportunityStatus)request.Status, "status");
        violations.ThrowIfAny();
        await access.RequireAccountAsync(context, request.AccountId);

        var page = await Account(request.AccountId).ListOpportunitiesAsync(after, pageSize, (D.OpportunityStatus)request.Status);
        var response = new Proto.ListOpportunitiesResponse
        {
            NextPageToken = page.Count == pageSize ? Paging.Encode(page[^1].Opportunity.OpportunityId) : "",
        };
        response.Opportunities.AddRange(page.Select(ProtoMapper.ToProto));
        return response;
    }

    public override async Task<Proto.Activity> LogActivity(Proto.LogActivityRequest request, ServerCallContext context)
    {
        var activity = Require.Present(request.Activity, "activity");
        Require.Id(activity.AccountId, "activity.account_id");
        await access.RequireAccountAsync(context, activity.AccountId);
        return ProtoMapper.ToProto(await Account(activity.AccountId).LogActivityAsync(ProtoMapper.ToDomain(activity)));
    }

    public override async Task<Proto.ListActivitiesResponse> ListActivities(Proto.ListActivitiesRequest request, ServerCallContext context)
    {
        Require.Id(request.AccountId, "account_id");
        var pageSize = Paging.PageSize(request.PageSize);
        var token = Paging.Decode(request.PageToken);
        var after = token.Length == 0
            ? null
            : ActivityCursor.TryParse(token) ?? throw CrmException.Invalid("page_token", "is not a token returned by this API");
        await access.RequireAccountAsync(context, request.AccountId);

        var page = await Account(request.AccountId).ListActivitiesAsync(after, pageSize);
        var response = new Proto.ListActivitiesResponse
        {
            NextPageToken = page.Count == pageSize ? Paging.Encode(ActivityCursor.Of(page[^1]).ToToken()) : "",
        };
        response.Activities.AddRange(page.Select(ProtoMapper.ToProto));
        return response;
    }

    /// <summary>
    /// Rows from the pipeline partitions (a group: only its accounts' partitions), summed here in the
    /// reporting currency. Scoped callers: the group's root must be visible (then so is all of it);
    /// an owner's rows are cut to the visible accounts; all is refused.
    /// </summary>
    public override async Task<Proto.PipelineSummary> GetPipelineSummary(Proto.GetPipelineSummaryRequest request, ServerCallContext context)
    {
        var caller = context.Caller();
        IReadOnlyList<PipelineRow> rows;
        switch (request.ScopeCase)
        {
            case Proto.GetPipelineSummaryRequest.ScopeOneofCase.AccountId:
                Require.Id(request.AccountId, "account_id");
                await access.RequireAccountAsync(context, request.AccountId);
                var subtree = await PipelineSummaries.SubtreeAsync(grains, request.AccountId);
                rows = await PipelinePartitions.QueryAsync(grains, PipelineQuery.ForAccounts(subtree));
                break;
            case Proto.GetPipelineSummaryRequest.ScopeOneofCase.Owner:
                Require.Id(request.Owner, "owner");
                rows = await access.VisibleAsync(caller, await PipelinePartitions.QueryAsync(grains, PipelineQuery.ForOwner(request.Owner)), r => r.AccountId);
                break;
            case Proto.GetPipelineSummaryRequest.ScopeOneofCase.All:
                if (!request.All) throw CrmException.Invalid("all", "must be true when set (or set account_id or owner instead)");
                if (!caller.Scope.IsAll)
                    await access.DenyAsync(caller, context.Method, context.Method, $"{caller.Id} sees only some accounts: ask for an account_id or an owner");
                rows = await PipelinePartitions.QueryAsync(grains, PipelineQuery.All);
                break;
            default:
                throw CrmException.Invalid("scope", "set exactly one of account_id, owner, all");
        }
        return PipelineSummaries.ToProto(await PipelineSummaries.SumAsync(grains, rows, ranking.Value.Currency));
    }

    private IAccountGrain Account(string accountId) => grains.GetKeyed<IAccountGrain>(accountId);
}
