using ActorCrm.Domain.Errors;
using ActorCrm.Domain.Revenue;
using ActorCrm.Domain.Validation;
using ActorCrm.Grains;
using ActorCrm.Grains.Diagnostics;
using ActorCrm.Grains.Infrastructure;
using ActorCrm.Grains.Revenue;
using ActorCrm.Silo.Mapping;
using ActorCrm.Silo.Security;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Proto = ActorCrm.Api.V1;

namespace ActorCrm.Silo.Api;

/// <summary>
/// actorcrm.v1.RevenueService: checks each event's shape and hands the batch to the revenue
/// partitions that own its accounts (one call and one durable log append per partition per batch).
/// </summary>
public sealed class RevenueApi(IGrainFactory grains, IOptions<RankingOptions> options, AccessPolicy access, ILogger<RevenueApi> logger) : Proto.RevenueService.RevenueServiceBase
{
    public const int MaxBatch = 10_000;

    public override Task<Proto.RecordRevenueResponse> RecordRevenue(Proto.RecordRevenueRequest request, ServerCallContext context) =>
        RecordAsync(request, context.Caller());

    public override async Task IngestRevenue(IAsyncStreamReader<Proto.RecordRevenueRequest> requestStream,
        IServerStreamWriter<Proto.RecordRevenueResponse> responseStream, ServerCallContext context)
    {
        // One batch at a time and one writer: acknowledgements come back in order, each only once
        // every event of its batch is durable or refused.
        await foreach (var batch in requestStream.ReadAllAsync(context.CancellationToken))
            await responseStream.WriteAsync(await RecordAsync(batch, context.Caller()), context.CancellationToken);
    }

    public override async Task<Proto.ListRevenueEventsResponse> ListRevenueEvents(Proto.ListRevenueEventsRequest request, ServerCallContext context)
    {
        Require.Id(request.AccountId, "account_id");
        await access.RequireAccountAsync(context, request.AccountId);
        var pageSize = Paging.PageSize(request.PageSize);
        var entries = await RevenuePartitions.For(grains, request.AccountId).ListEventsAsync(request.AccountId, Paging.Decode(request.PageToken), pageSize);
        var response = new Proto.ListRevenueEventsResponse
        {
            NextPageToken = entries.Count == pageSize ? Paging.Encode(entries[^1].EventId) : "",
        };
        response.Events.AddRange(entries.Select(e => new Proto.RevenueEvent
        {
            EventId = e.EventId,
            AccountId = request.AccountId,
            AmountMinor = e.AmountMinor,
            CurrencyCode = options.Value.Currency,
            OccurredAt = Timestamp.FromDateTimeOffset(e.OccurredAt),
        }));
        return response;
    }

    private async Task<Proto.RecordRevenueResponse> RecordAsync(Proto.RecordRevenueRequest request, Caller caller)
    {
        if (request.Events.Count > MaxBatch)
            throw CrmException.Invalid("events", $"has {request.Events.Count} events; at most {MaxBatch} per batch");

        var results = new Proto.RevenueEventResult[request.Events.Count];
        var indexes = new List<int>(request.Events.Count);
        var entries = new List<AccountRevenueEntry>(request.Events.Count);
        // Events that never reach a partition are counted here; the partitions count the outcomes they decide.
        var refusals = new List<RevenueOutcome>();
        var inScope = caller.Scope.IsAll ? null : new Dictionary<string, bool>(StringComparer.Ordinal);
        for (var i = 0; i < request.Events.Count; i++)
        {
            var e = request.Events[i];
            var refusal = Check(e);
            if (refusal is null && inScope is not null && !await access.CanSeeAsync(caller, e.AccountId, inScope))
                refusal = RevenueOutcome.Rejected(RevenueReasons.PermissionDenied, $"account {e.AccountId} is outside what {caller.Id} may touch");
            if (refusal is not null)
            {
                results[i] = Result(e, refusal);
                refusals.Add(refusal);
                continue;
            }
            indexes.Add(i);
            entries.Add(new AccountRevenueEntry(e.AccountId, new RevenueEntry(e.EventId, e.AmountMinor, e.OccurredAt.ToDateTimeOffset())));
        }

        var outcomes = await RevenueIngest.RecordAsync(grains, entries, logger);
        for (var j = 0; j < outcomes.Length; j++)
            results[indexes[j]] = Result(request.Events[indexes[j]], outcomes[j]);

        ActorCrmMetrics.RevenueOutcomes(refusals);
        var response = new Proto.RecordRevenueResponse();
        response.Results.AddRange(results);
        return response;
    }

    private RevenueOutcome? Check(Proto.RevenueEvent e)
    {
        static RevenueOutcome Invalid(string field, string why) => RevenueOutcome.Rejected(RevenueReasons.InvalidEvent, $"{field}: {why}");

        if (!Violations.IsValidId(e.EventId)) return Invalid("event_id", "must match ^[a-z0-9][a-z0-9._-]{0,63}$");
        if (!Violations.IsValidId(e.AccountId)) return Invalid("account_id", "must match ^[a-z0-9][a-z0-9._-]{0,63}$");
        if (e.AmountMinor is > Limits.MaxAmountMinor or < -Limits.MaxAmountMinor) return Invalid("amount_minor", "|amount_minor| must be at most 10^15");
        if (e.OccurredAt is null) return Invalid("occurred_at", "is required");
        try
        {
            e.OccurredAt.ToDateTimeOffset();
        }
        catch (Exception error) when (error is ArgumentException or InvalidOperationException) // out of range, or nanos not normalized
        {
            return Invalid("occurred_at", "is not a valid timestamp");
        }
        if (e.CurrencyCode != options.Value.Currency)
            return RevenueOutcome.Rejected(RevenueReasons.CurrencyNotAccepted,
                $"currency_code '{e.CurrencyCode}' is not the reporting currency {options.Value.Currency} and no conversion is configured");
        return null;
    }

    private static Proto.RevenueEventResult Result(Proto.RevenueEvent e, RevenueOutcome outcome) => new()
    {
        EventId = e.EventId,
        AccountId = e.AccountId,
        Status = (Proto.RevenueEventStatus)outcome.Status,
        ReasonCode = outcome.ReasonCode,
        Message = outcome.Message,
    };
}
