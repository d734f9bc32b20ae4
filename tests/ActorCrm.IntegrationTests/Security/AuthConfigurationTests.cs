using ActorCrm.Api.V1;
using ActorCrm.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Options;

namespace ActorCrm.IntegrationTests.Security;

/// <summary>Secure by default: no auth configuration, no silo — unless auth is switched off on purpose.</summary>
public class AuthConfigurationTests
{
    private sealed class UnconfiguredSiloFactory(IReadOnlyDictionary<string, string> settings) : SiloFactory
    {
        protected override bool TrustsTestKeys => false;

        protected override IReadOnlyDictionary<string, string> Settings => settings;
    }

    [Fact]
    public async Task A_silo_without_any_way_to_authenticate_does_not_start()
    {
        await using var silo = new UnconfiguredSiloFactory(new Dictionary<string, string>());
        var error = Assert.ThrowsAny<Exception>(() => silo.Server);
        var validation = error as OptionsValidationException ?? error.InnerException as OptionsValidationException;
        Assert.NotNull(validation);
        Assert.Contains("no authentication is configured", validation.Message);
        Assert.Contains("--Auth:Mode=None", validation.Message);
    }

    [Fact]
    public async Task A_bad_key_configuration_is_named_at_start()
    {
        await using var silo = new UnconfiguredSiloFactory(new Dictionary<string, string>
        {
            ["Auth:ApiKeys:billing:Sha256"] = "not-hex",
            ["Auth:ApiKeys:billing:Role"] = "service",
        });
        var error = Assert.ThrowsAny<Exception>(() => silo.Server);
        var message = (error as OptionsValidationException ?? error.InnerException as OptionsValidationException)?.Message ?? error.ToString();
        Assert.Contains("Auth:ApiKeys:billing:Sha256", message);
        Assert.Contains("Auth:ApiKeys:billing:Permissions", message);
    }

    [Fact]
    public async Task With_auth_off_every_caller_is_an_anonymous_admin()
    {
        await using var silo = new UnconfiguredSiloFactory(new Dictionary<string, string> { ["Auth:Mode"] = "None" });
        using var anonymous = silo.ChannelAs(null);
        var figures = await new RankingService.RankingServiceClient(anonymous).GetConcentrationAsync(new GetConcentrationRequest());
        Assert.Equal(0, figures.AccountCount);
        await new AuditService.AuditServiceClient(anonymous).ListAuditEventsAsync(new ListAuditEventsRequest());
    }

    [Fact]
    public async Task A_local_admin_key_file_is_created_once_and_trusted()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"actorcrm-key-{Guid.NewGuid():N}");
        var file = Path.Combine(folder, ".state", "admin-api-key");
        try
        {
            await using (var silo = new UnconfiguredSiloFactory(new Dictionary<string, string> { ["Auth:LocalAdminKeyFile"] = file }))
            {
                _ = silo.Server;
                Assert.True(File.Exists(file));
                if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
                // A client anywhere below the folder finds the key (as the CLI does inside the repository).
                var below = Directory.CreateDirectory(Path.Combine(folder, "client", "deep")).FullName;
                using var channel = silo.ChannelAs(ActorCrm.Api.ActorCrmCredentials.FromLocalKeyFile(below));
                await new AuditService.AuditServiceClient(channel).ListAuditEventsAsync(new ListAuditEventsRequest());
            }
            var first = await File.ReadAllTextAsync(file);
            await using (var again = new UnconfiguredSiloFactory(new Dictionary<string, string> { ["Auth:LocalAdminKeyFile"] = file }))
            {
                _ = again.Server;
            }
            Assert.Equal(first, await File.ReadAllTextAsync(file)); // a restart keeps the key
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
