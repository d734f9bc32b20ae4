using ActorCrm.Domain.Errors;
using ActorCrm.Domain.Model;
using ActorCrm.Domain.Validation;
using ActorCrm.Grains;
using ActorCrm.Grains.Infrastructure;
using ActorCrm.Grains.Ranking;
using ActorCrm.Silo.Mapping;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Proto = ActorCrm.Api.V1;

namespace ActorCrm.Silo.Api;

/// <summary>actorcrm.v1.RankingService: reads of the ranking grain of the requested scope.</summary>
public sealed class RankingApi(IGrainFactory grains, IOptions<RankingOptions> options) : Proto.RankingService.RankingServiceBase
{
    private IRankingGrain Ranking(Proto.RankingScope scope) =>
        grains.GetGrain<IRankingGrain>(IRankingGrain.KeyOf(RankingMapper.ToDomain(scope)));

    public override async Task<Proto.Concentration> GetConcentration(Proto.GetConcentrationRequest request, ServerCallContext context) =>
        RankingMapper.ToProto(await Ranking(request.Scope).GetConcentrationAsync(), options.Value.Currency);

    public override async Task<Proto.ListTopAccountsResponse> ListTopAccounts(Proto.ListTopAccountsRequest request, ServerCallContext context)
    {
        var ranking = Ranking(request.Scope);
        var pageSize = Paging.PageSize(request.PageSize);
        var token = Paging.Decode(request.PageToken);
        var offset = 0;
        if (token.Length > 0 && (!int.TryParse(token, out offset) || offset < 0))
            throw CrmException.Invalid("page_token", "is not a token returned by this API");

        var rows = await ranking.ListTopAsync(offset, pageSize);
        var accounts = await Task.WhenAll(rows.Select(r => grains.TryGetAccountAsync(r.AccountId)));
        var response = new Proto.ListTopAccountsResponse
        {
            NextPageToken = rows.Count == pageSize ? Paging.Encode((offset + pageSize).ToString()) : "",
        };
        response.Rows.AddRange(rows.Select((row, i) => RankingMapper.ToProto(row, accounts[i])));
        return response;
    }

    public override async Task<Proto.AccountRank> GetAccountRank(Proto.GetAccountRankRequest request, ServerCallContext context)
    {
        Require.Id(request.AccountId, "account_id");
        var ranking = Ranking(request.Scope);
        await grains.GetGrain<IAccountGrain>(request.AccountId).GetAsync(); // NOT_FOUND for an unknown account
        return RankingMapper.ToProto(await ranking.GetRankAsync(request.AccountId));
    }

    public override async Task<Proto.Concentration> WhatIf(Proto.WhatIfRequest request, ServerCallContext context)
    {
        var ranking = Ranking(request.Scope);
        var violations = new Violations();
        for (var i = 0; i < request.RemoveAccountIds.Count; i++) violations.Id(request.RemoveAccountIds[i], $"remove_account_ids[{i}]");
        for (var i = 0; i < request.RevenueAdjustments.Count; i++) violations.Id(request.RevenueAdjustments[i].AccountId, $"revenue_adjustments[{i}].account_id");
        violations.ThrowIfAny();
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
}
