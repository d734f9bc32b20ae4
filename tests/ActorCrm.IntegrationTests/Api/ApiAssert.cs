using Google.Rpc;
using Grpc.Core;

namespace ActorCrm.IntegrationTests.Api;

internal static class ApiAssert
{
    /// <summary>
    /// The account without the figures joined from the ranking (rank, class, share of wallet and the
    /// window revenue behind it): they move with revenue and the ranking's flushes, not with the account's writes.
    /// </summary>
    public static ActorCrm.Api.V1.Account WithoutRankingFigures(ActorCrm.Api.V1.Account account)
    {
        var copy = account.Clone();
        copy.Rank = 0;
        copy.AbcClass = ActorCrm.Api.V1.AbcClass.Unspecified;
        if (copy.Insights is { } insights)
        {
            insights.ClearShareOfWallet();
            insights.ClearSubtreeShareOfWallet();
            insights.WindowRevenueMinor = 0;
        }
        return copy;
    }

    public static async Task<RpcException> FailsWith(StatusCode code, Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.True(code == error.StatusCode, $"expected {code}, got {error.StatusCode}: {error.Status.Detail}");
        return error;
    }

    public static Task<RpcException> FailsWith<T>(StatusCode code, Func<AsyncUnaryCall<T>> call) =>
        FailsWith(code, async () => await call());

    /// <summary>INVALID_ARGUMENT whose google.rpc.BadRequest details name <paramref name="field"/>.</summary>
    public static Task InvalidField<T>(string field, Func<AsyncUnaryCall<T>> call) => InvalidField(field, async () => await call());

    /// <summary>The first read of a server stream fails with <paramref name="code"/>.</summary>
    public static Task<RpcException> StreamFailsWith<T>(StatusCode code, Func<AsyncServerStreamingCall<T>> start) =>
        FailsWith(code, () => FirstReadAsync(start));

    /// <summary>The first read of a server stream is INVALID_ARGUMENT naming <paramref name="field"/>.</summary>
    public static Task StreamInvalidField<T>(string field, Func<AsyncServerStreamingCall<T>> start) =>
        InvalidField(field, () => FirstReadAsync(start));

    private static async Task FirstReadAsync<T>(Func<AsyncServerStreamingCall<T>> start)
    {
        using var call = start();
        await call.ResponseStream.MoveNext(CancellationToken.None);
    }

    private static async Task InvalidField(string field, Func<Task> call)
    {
        var error = await FailsWith(StatusCode.InvalidArgument, call);
        var badRequest = error.GetRpcStatus()?.GetDetail<BadRequest>();
        Assert.NotNull(badRequest);
        Assert.Contains(badRequest.FieldViolations, v => v.Field == field);
    }
}
