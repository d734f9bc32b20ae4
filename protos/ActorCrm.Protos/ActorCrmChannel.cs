using Grpc.Net.Client;

namespace ActorCrm.Api;

/// <summary>
/// The one way clients, tools and tests open a channel to ActorCrm: credentials and transport
/// settings live in this spot only.
/// </summary>
public static class ActorCrmChannel
{
    public const string DefaultAddress = "http://127.0.0.1:7070";

    /// <param name="address">The silo's gRPC endpoint, e.g. http://127.0.0.1:7070 (cleartext HTTP/2) or https://… (TLS).</param>
    /// <param name="handler">An HTTP handler to use instead of the default socket handler (in-memory test servers).</param>
    /// <param name="credentials">Sent on every call; null sends none (the silo then answers UNAUTHENTICATED unless auth is off).</param>
    public static GrpcChannel Create(string address = DefaultAddress, HttpMessageHandler? handler = null, ActorCrmCredentials? credentials = null)
    {
        handler ??= new SocketsHttpHandler { EnableMultipleHttp2Connections = true };
        if (credentials is not null) handler = new CredentialsHandler(credentials) { InnerHandler = handler };
        return GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = handler,
            MaxReceiveMessageSize = 16 * 1024 * 1024,
            DisposeHttpClient = true,
        });
    }

    /// <summary>Adds the credential header to each request (works for cleartext, TLS and in-memory handlers alike).</summary>
    private sealed class CredentialsHandler(ActorCrmCredentials credentials) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.TryAddWithoutValidation(credentials.HeaderName, credentials.HeaderValue);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
