using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ActorCrm.Api;
using ActorCrm.Api.V1;
using ActorCrm.IntegrationTests.Infrastructure;
using Grpc.Core;

namespace ActorCrm.IntegrationTests.Security;

/// <summary>gRPC over TLS with a configured certificate (a real silo process: the in-memory test server has no TLS).</summary>
public class TlsTests
{
    [Fact]
    public async Task A_silo_with_a_certificate_serves_grpc_over_tls_only()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var pfx = Path.Combine(Path.GetTempPath(), $"actorcrm-tls-{Guid.NewGuid():N}.pfx");
        await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "test-password"));
        try
        {
            var port = SiloFactory.FreePort();
            await using var silo = await SiloProcess.StartAsync(new Dictionary<string, string>
            {
                ["Storage:Provider"] = "Memory",
                ["Endpoints:Grpc"] = $"https://127.0.0.1:{port}",
                ["Tls:CertificatePath"] = pfx,
                ["Tls:Password"] = "test-password",
            });

            // The client trusts exactly this certificate.
            var trusting = new SocketsHttpHandler
            {
                SslOptions = { RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == certificate.GetCertHashString() },
            };
            using var tls = ActorCrmChannel.Create($"https://127.0.0.1:{port}", trusting, TestKeys.AdminCredentials);
            var figures = await new RankingService.RankingServiceClient(tls).GetConcentrationAsync(new GetConcentrationRequest());
            Assert.Equal(0, figures.AccountCount);

            using var cleartext = ActorCrmChannel.Create($"http://127.0.0.1:{port}", credentials: TestKeys.AdminCredentials);
            await Assert.ThrowsAsync<RpcException>(async () =>
                await new RankingService.RankingServiceClient(cleartext).GetConcentrationAsync(new GetConcentrationRequest(), deadline: DateTime.UtcNow.AddSeconds(5)));
        }
        finally
        {
            File.Delete(pfx);
        }
    }
}
