using ActorCrm.Grains.Diagnostics;
using ActorCrm.Domain.Errors;
using ActorCrm.Silo.Security;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Orleans.Runtime;
using Status = Google.Rpc.Status;

namespace ActorCrm.Silo.Api;

/// <summary>
/// Every gRPC call passes through here: the caller is authenticated (UNAUTHENTICATED without valid
/// credentials) and must hold the method's permission (PERMISSION_DENIED); refused commands become
/// a status with details (google.rpc.BadRequest naming each bad field), cluster trouble becomes
/// UNAVAILABLE.
/// </summary>
public sealed class ApiInterceptor(Authenticator authenticator, AccessPolicy access, CallerLimits limits, ILogger<ApiInterceptor> logger) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var admission = AdmitAsync(context);
        return admission.IsCompletedSuccessfully
            ? Run(request, context, continuation)
            : AdmitThenRunAsync(admission, request, context, continuation);
    }

    private async Task<TResponse> AdmitThenRunAsync<TRequest, TResponse>(ValueTask admission,
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        where TRequest : class where TResponse : class
    {
        await admission;
        return await Run(request, context, continuation);
    }

    /// <summary>Authenticates the caller (kept on the call for the services) and checks the method's permission.</summary>
    private ValueTask AdmitAsync(ServerCallContext context)
    {
        var needed = AccessPolicy.Required(context.Method);
        if (needed == Permissions.None) return ValueTask.CompletedTask; // health checks
        var http = context.GetHttpContext();
        var authentication = authenticator.AuthenticateAsync(http);
        return authentication.IsCompletedSuccessfully
            ? Admit(authentication.Result, needed, context, http)
            : AdmitAsync(authentication, needed, context, http);
    }

    private async ValueTask AdmitAsync(ValueTask<AuthResult> authentication, Permissions needed, ServerCallContext context, HttpContext http) =>
        await Admit(await authentication, needed, context, http);

    private ValueTask Admit(AuthResult authentication, Permissions needed, ServerCallContext context, HttpContext http)
    {
        if (authentication.Caller is not { } caller)
            throw new RpcException(new Grpc.Core.Status(StatusCode.Unauthenticated, authentication.Failure!));
        if (!caller.Can(needed))
            return new ValueTask(access.DenyAsync(caller, context.Method, context.Method, $"{caller.Id} ({caller.Role.Name()}) may not call {context.Method}"));
        limits.Admit(caller);
        http.Features.Set(caller);
        return ValueTask.CompletedTask;
    }

    /// <summary>Counts the caller's open stream (health watches, open to all, are not counted).</summary>
    private IDisposable? OpenStream(ServerCallContext context) =>
        context.GetHttpContext().Features.Get<Caller>() is { } caller ? limits.OpenStream(caller) : null;

    private Task<TResponse> Run<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        where TRequest : class where TResponse : class
    {
        Task<TResponse> reply;
        try
        {
            reply = continuation(request, context);
        }
        catch (Exception error) when (error is not RpcException)
        {
            throw Translate(error, context);
        }
        // A reply that is already there (a read served from the silo's cache) skips the async frame.
        return reply.IsCompletedSuccessfully ? reply : AwaitUnaryAsync(reply, context);
    }

    private async Task<TResponse> AwaitUnaryAsync<TResponse>(Task<TResponse> reply, ServerCallContext context)
    {
        try
        {
            return await reply;
        }
        catch (Exception error) when (error is not RpcException)
        {
            throw Translate(error, context);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await AdmitAsync(context);
        using var stream = OpenStream(context);
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception error) when (error is not RpcException)
        {
            throw Translate(error, context);
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await AdmitAsync(context);
        try
        {
            return await continuation(requestStream, context);
        }
        catch (Exception error) when (error is not RpcException)
        {
            throw Translate(error, context);
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await AdmitAsync(context);
        using var stream = OpenStream(context);
        try
        {
            await continuation(requestStream, responseStream, context);
        }
        catch (Exception error) when (error is not RpcException)
        {
            throw Translate(error, context);
        }
    }

    private RpcException Translate(Exception error, ServerCallContext context)
    {
        if (error is OperationCanceledException && context.CancellationToken.IsCancellationRequested)
            return new RpcException(new Grpc.Core.Status(StatusCode.Cancelled, "the call was cancelled"));
        return StatusOf(error, context.Method, logger).ToRpcException();
    }

    /// <summary>
    /// The status a refused or failed command answers: a CrmException's kind and field violations;
    /// timeouts, lost silos, rejected messages and storage-provider failures (e.g. a grain that
    /// cannot read its state during a storage outage) are all UNAVAILABLE, "try again later";
    /// an undecodable streamed request message is INVALID_ARGUMENT; anything else is INTERNAL (and logged).
    /// </summary>
    public static Status StatusOf(Exception error, string method, ILogger logger)
    {
        var status = error switch
        {
            CrmException crm => ToStatus(crm),
            // A streamed request message is decoded inside the call (a unary one before it, by the framework).
            Google.Protobuf.InvalidProtocolBufferException bad => new Status { Code = (int)Code.InvalidArgument, Message = $"a request message could not be decoded: {bad.Message}" },
            RpcException rpc => new Status { Code = (int)rpc.StatusCode, Message = rpc.Status.Detail },
            TimeoutException or OrleansException => Unavailable(error, method, logger),
            _ => Internal(error, method, logger),
        };
        ActorCrmMetrics.ApiError(method, ((StatusCode)status.Code).ToString());
        return status;
    }

    private static Status Unavailable(Exception error, string method, ILogger logger)
    {
        logger.LogWarning(error, "Cluster or storage unavailable during {Method}", method);
        return new Status { Code = (int)Code.Unavailable, Message = "the cluster or its storage did not answer; retry" };
    }

    private static Status Internal(Exception error, string method, ILogger logger)
    {
        logger.LogError(error, "Unhandled error in {Method}", method);
        return new Status { Code = (int)Code.Internal, Message = "internal error" };
    }

    private static Status ToStatus(CrmException error)
    {
        var status = new Status { Code = (int)CodeOf(error.Kind), Message = error.Message };
        if (error.Violations.Count > 0)
        {
            var badRequest = new BadRequest();
            badRequest.FieldViolations.AddRange(error.Violations.Select(v =>
                new BadRequest.Types.FieldViolation { Field = v.Field, Description = v.Description }));
            status.Details.Add(Any.Pack(badRequest));
        }
        return status;
    }

    private static Code CodeOf(ErrorKind kind) => kind switch
    {
        ErrorKind.InvalidArgument => Code.InvalidArgument,
        ErrorKind.NotFound => Code.NotFound,
        ErrorKind.AlreadyExists => Code.AlreadyExists,
        ErrorKind.FailedPrecondition => Code.FailedPrecondition,
        ErrorKind.Aborted => Code.Aborted,
        ErrorKind.Unavailable => Code.Unavailable,
        _ => Code.Internal,
    };
}
