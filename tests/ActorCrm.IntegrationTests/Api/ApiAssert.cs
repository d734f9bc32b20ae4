using Google.Rpc;
using Grpc.Core;

namespace ActorCrm.IntegrationTests.Api;

internal static class ApiAssert
{
    public static async Task<RpcException> FailsWith(StatusCode code, Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.True(code == error.StatusCode, $"expected {code}, got {error.StatusCode}: {error.Status.Detail}");
        return error;
    }

    public static Task<RpcException> FailsWith<T>(StatusCode code, Func<AsyncUnaryCall<T>> call) =>
        FailsWith(code, async () => await call());

    /// <summary>INVALID_ARGUMENT whose google.rpc.BadRequest details name <paramref name="field"/>.</summary>
    public static async Task InvalidField<T>(string field, Func<AsyncUnaryCall<T>> call)
    {
        var error = await FailsWith(StatusCode.InvalidArgument, call);
        var badRequest = error.GetRpcStatus()?.GetDetail<BadRequest>();
        Assert.NotNull(badRequest);
        Assert.Contains(badRequest.FieldViolations, v => v.Field == field);
    }
}
