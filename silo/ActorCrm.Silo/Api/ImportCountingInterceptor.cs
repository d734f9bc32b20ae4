using ActorCrm.Grains.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Proto = ActorCrm.Api.V1;

namespace ActorCrm.Silo.Api;

/// <summary>
/// Counts the rows bulk imports send (metric actorcrm.import.rows). An importer marks its calls with
/// the header <see cref="Header"/> naming what it imports (accounts, contacts, opportunities,
/// activities, revenue); a batch counts its events or creates, any other request one row.
/// </summary>
public sealed class ImportCountingInterceptor : Interceptor
{
    public const string Header = "actorcrm-import";

    private static readonly HashSet<string> Entities = ["accounts", "contacts", "opportunities", "activities", "revenue"];

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (EntityOf(context) is { } entity) ActorCrmMetrics.ImportRows(entity, RowsOf(request));
        return continuation(request, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        EntityOf(context) is { } entity
            ? continuation(new CountingReader<TRequest>(requestStream, entity), responseStream, context)
            : continuation(requestStream, responseStream, context);

    /// <summary>The imported entity, or null for an ordinary call; unknown names count as "other" (metric tags stay a closed set).</summary>
    /// <remarks>Read from the HTTP request: <c>context.RequestHeaders</c> would build a copy of every header on every call.</remarks>
    private static string? EntityOf(ServerCallContext context) =>
        context.GetHttpContext().Request.Headers.TryGetValue(Header, out var values) && values.Count > 0
            ? (Entities.Contains(values[0]!) ? values[0] : "other")
            : null;

    private static int RowsOf(object request) => request switch
    {
        Proto.RecordRevenueRequest batch => batch.Events.Count,
        Proto.BatchCreateAccountsRequest batch => batch.Requests.Count,
        _ => 1,
    };

    private sealed class CountingReader<T>(IAsyncStreamReader<T> inner, string entity) : IAsyncStreamReader<T>
    {
        public T Current => inner.Current;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            if (!await inner.MoveNext(cancellationToken)) return false;
            ActorCrmMetrics.ImportRows(entity, RowsOf(inner.Current!));
            return true;
        }
    }
}
