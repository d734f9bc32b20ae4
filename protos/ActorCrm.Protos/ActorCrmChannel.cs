using Grpc.Net.Client;

namespace ActorCrm.Api;

/// <summary>
/// The one way clients, tools and tests open a channel to ActorCrm, so that adding credentials or
/// retry policy later touches this spot only.
/// </summary>
public static class ActorCrmChannel
{
    public const string DefaultAddress = "http://127.0.0.1:7070";

    /// <param name="address">The silo's gRPC endpoint (cleartext HTTP/2), e.g. http://127.0.0.1:7070.</param>
    /// <param name="handler">An HTTP handler to use instead of the default socket handler (in-memory test servers).</param>
    public static GrpcChannel Create(string address = DefaultAddress, HttpMessageHandler? handler = null) =>
        GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = handler ?? new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
            MaxReceiveMessageSize = 16 * 1024 * 1024,
            DisposeHttpClient = true,
        });
}
