using ActorCrm.Domain.Errors;
using ActorCrm.Domain.Validation;
using ActorCrm.Grains;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Proto = ActorCrm.Api.V1;

namespace ActorCrm.Silo.Api;

/// <summary>actorcrm.v1.AuditService: a page merged from every audit partition (admins only, see AccessPolicy).</summary>
public sealed class AuditApi(IGrainFactory grains) : Proto.AuditService.AuditServiceBase
{
    public override async Task<Proto.ListAuditEventsResponse> ListAuditEvents(Proto.ListAuditEventsRequest request, ServerCallContext context)
    {
        var pageSize = Paging.PageSize(request.PageSize);
        var token = Paging.Decode(request.PageToken);
        var before = token.Length == 0
            ? null
            : AuditCursor.TryParse(token) ?? throw CrmException.Invalid("page_token", "is not a token returned by this API");
        var violations = new Violations();
        violations.Line(request.Subject, "subject");
        violations.Line(request.Actor, "actor");
        violations.ThrowIfAny();

        var query = new AuditQuery(request.Subject, request.Actor, Time(request.StartTime, "start_time"), Time(request.EndTime, "end_time"), before, pageSize);
        var entries = await AuditTrail.QueryAsync(grains, query);
        var response = new Proto.ListAuditEventsResponse
        {
            NextPageToken = entries.Count == pageSize ? Paging.Encode(AuditCursor.Of(entries[^1]).ToToken()) : "",
        };
        response.Events.AddRange(entries.Select(e => new Proto.AuditEvent
        {
            EventId = e.EventId,
            EventTime = Timestamp.FromDateTimeOffset(e.Time),
            Actor = e.Actor,
            ActorRole = e.ActorRole,
            Action = (Proto.AuditAction)e.Action,
            Subject = e.Subject,
            Fields = { e.Fields },
            Method = e.Method,
            Detail = e.Detail,
        }));
        return response;
    }

    private static DateTimeOffset? Time(Timestamp? value, string field)
    {
        if (value is null) return null;
        try
        {
            return value.ToDateTimeOffset();
        }
        catch (Exception error) when (error is ArgumentException or InvalidOperationException) // out of range, or nanos not normalized
        {
            throw CrmException.Invalid(field, "is not a valid timestamp");
        }
    }
}
