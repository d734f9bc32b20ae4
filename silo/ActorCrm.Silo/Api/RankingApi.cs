using ActorCrm.Domain.Errors;
using ActorCrm.Domain.Model;
using ActorCrm.Domain.Validation;
using ActorCrm.Grains;
using ActorCrm.Grains.Infrastructure;
using ActorCrm.Grains.Ranking;
using ActorCrm.Grains.Watching;
using ActorCrm.Ranking;
using ActorCrm.Silo.Mapping;
using ActorCrm.Silo.Security;
using ActorCrm.Silo.Watching;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Proto = ActorCrm.Api.V1;

namespace ActorCrm.Silo.Api;

/// <summary>actorcrm.v1.RankingService: reads of the ranking grain of the requested scope.</summary>
public sealed class RankingApi(IGrainFactory grains, IOptions<RankingOptions> options, WatchHub hub, GrainReadCache<AccountView> readCache,
    RecentReplies<RankingScope, Proto.Concentration> recentFigures,
    RecentReplies<(RankingScope Scope, int Offset, int PageSize), Proto.ListTopAccountsResponse> recentPages,
    RecentReplies<(RankingScope Scope, string AccountId), Proto.AccountRank> recentRanks,
    AccessPolicy access)
    : Proto.RankingService.RankingServiceBase
{
    private const int DefaultMinIntervalMs = 250;
    private const int MaxMinIntervalMs = 3_600_000;

    private IRankingGrain Ranking(Proto.RankingScope scope) =>
        grains.GetGrain<IRankingGrain>(IRankingGrain.KeyOf(RankingMapper.ToDomain(scope)));

    public override Task<Proto.Concentration> GetConcentration(Proto.GetConcentrationRequest request, ServerCallContext context)
    {
        var scope = RankingMapper.ToDomain(request.Scope);
        return recentFigures.GetAsync(scope, async () =>
            RankingMapper.ToProto(await grains.GetGrain<IRankingGrain>(IRankingGrain.KeyOf(scope)).GetConcentrationAsync(), options.Value.Currency));
    }

    /// <summary>A scoped caller gets the page without the rows it may not see; the rows keep their global ranks.</summary>
    public override async Task<Proto.ListTopAccountsResponse> ListTopAccounts(Proto.ListTopAccountsRequest request, ServerCallContext context)
    {
        var page = await TopPageAsync(request);
        var caller = context.Caller();
        if (caller.Scope.IsAll) return page;
        var visible = new Proto.ListTopAccountsResponse { NextPageToken = page.NextPageToken };
        visible.Rows.AddRange(await access.VisibleAsync(caller, page.Rows, row => row.AccountId));
        return visible;
    }

    private Task<Proto.ListTopAccountsResponse> TopPageAsync(Proto.ListTopAccountsRequest request)
    {
        var scope = RankingMapper.ToDomain(request.Scope);
        var pageSize = Paging.PageSize(request.PageSize);
        var token = Paging.Decode(request.PageToken);
        var offset = 0;
        if (token.Length > 0 && (!int.TryParse(token, out offset) || offset < 0))
            throw CrmException.Invalid("page_token", "is not a token returned by this API");

        // Rows carry the name and tier the ranking holds: one call, no account grain per row.
        return recentPages.GetAsync((scope, offset, pageSize), async () =>
        {
            var rows = await grains.GetGrain<IRankingGrain>(IRankingGrain.KeyOf(scope)).ListTopAsync(offset, pageSize);
            var response = new Proto.ListTopAccountsResponse
            {
                NextPageToken = rows.Count == pageSize ? Paging.Encode((offset + pageSize).ToString()) : "",
            };
            response.Rows.AddRange(rows.Select(RankingMapper.ToProto));
            return response;
        });
    }

    public override async Task<Proto.AccountRank> GetAccountRank(Proto.GetAccountRankRequest request, ServerCallContext context)
    {
        Require.Id(request.AccountId, "account_id");
        await access.RequireAccountAsync(context, request.AccountId);
        var scope = RankingMapper.ToDomain(request.Scope);
        // NOT_FOUND for an unknown account, checked on every call (not shared): a hit in this silo's
        // read cache is an account that exists.
        if (!readCache.TryGet(request.AccountId, out _)) await grains.GetKeyed<IAccountGrain>(request.AccountId).GetAsync();
        return await recentRanks.GetAsync((scope, request.AccountId), async () =>
            RankingMapper.ToProto(await grains.GetGrain<IRankingGrain>(IRankingGrain.KeyOf(scope)).GetRankAsync(request.AccountId)));
    }

    public override async Task<Proto.Concentration> WhatIf(Proto.WhatIfRequest request, ServerCallContext context)
    {
        var ranking = Ranking(request.Scope);
        var violations = new Violations();
        for (var i = 0; i < request.RemoveAccountIds.Count; i++) violations.Id(request.RemoveAccountIds[i], $"remove_account_ids[{i}]");
        for (var i = 0; i < request.RevenueAdjustments.Count; i++) violations.Id(request.RevenueAdjustments[i].AccountId, $"revenue_adjustments[{i}].account_id");
        violations.ThrowIfAny();
        // What-if reveals the named accounts' revenue: a scoped caller may name only accounts it sees.
        foreach (var accountId in request.RemoveAccountIds.Concat(request.RevenueAdjustments.Select(a => a.AccountId)).Distinct())
            await access.RequireAccountAsync(context, accountId);
        var view = await ranking.WhatIfAsync(
            request.RemoveAccountIds.ToArray(),
            request.RevenueAdjustments.Select(a => new RevenueAdjustmentEntry(a.AccountId, a.DeltaMinor)).ToArray());
        return RankingMapper.ToProto(view, options.Value.Currency);
    }

    public override async Task<Proto.GetConcentrationHistoryResponse> GetConcentrationHistory(
        Proto.GetConcentrationHistoryRequest request, ServerCallContext context)
    {
        var ranking = Ranking(request.Scope);
        var from = ProtoMapper.ToDate(request.From, "from");
        var to = ProtoMapper.ToDate(request.To, "to");
        if (from > to) throw CrmException.Invalid("from", "is after to");
        var response = new Proto.GetConcentrationHistoryResponse();
        response.Days.AddRange((await ranking.GetHistoryAsync(from, to)).Select(RankingMapper.ToProto));
        return response;
    }

    /// <summary>
    /// One writer loop per stream: write the latest snapshot, then wait min_interval_ms; snapshots
    /// published meanwhile replace each other in the stream's inbox, so the next message is the latest.
    /// </summary>
    public override async Task WatchConcentration(Proto.WatchConcentrationRequest request,
        IServerStreamWriter<Proto.ConcentrationUpdate> responseStream, ServerCallContext context)
    {
        var scope = RankingMapper.ToDomain(request.Scope);
        var violations = new Violations();
        if (request.MinIntervalMs is < 0 or > MaxMinIntervalMs) violations.Add("min_interval_ms", $"must be 0..{MaxMinIntervalMs}");
        if (request.TopLimit is < 0 or > PublishedConcentration.MaxTopRows) violations.Add("top_limit", $"must be 0..{PublishedConcentration.MaxTopRows}");
        violations.ThrowIfAny();
        var alerts = new ThresholdWatch(RankingMapper.ToDomain(request.AlertThresholds, "alert_thresholds"));
        var interval = TimeSpan.FromMilliseconds(request.MinIntervalMs == 0 ? DefaultMinIntervalMs : request.MinIntervalMs);

        var caller = context.Caller();
        await using var subscription = await hub.WatchConcentrationAsync(scope);
        await foreach (var published in subscription.Reader.ReadAllAsync(context.CancellationToken))
        {
            var update = new Proto.ConcentrationUpdate { Concentration = RankingMapper.ToProto(published.View, options.Value.Currency) };
            // A scoped caller sees the rows of its accounts among the top rows (global ranks kept).
            var rows = await access.VisibleAsync(caller, published.TopRows.Take(request.TopLimit), row => row.AccountId);
            update.TopAccounts.AddRange(rows.Select(RankingMapper.ToProto));
            update.Alerts.AddRange(alerts.Observe(RankingMapper.AlertFigures(published.View)).Select(c => RankingMapper.ToProto(c, published.View.AsOf)));
            await responseStream.WriteAsync(update, context.CancellationToken);
            await Task.Delay(interval, context.CancellationToken);
        }
    }
}
