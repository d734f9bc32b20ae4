using ActorCrm.IntegrationTests.Infrastructure;

namespace ActorCrm.IntegrationTests.Cli;

/// <summary>The CLI calls with --api-key when given (else the host's default: the local admin key) and explains a refusal.</summary>
[Collection(SiloCollection.Name)]
public class CliCredentialsTests(SiloFactory silo)
{
    [Fact]
    public async Task An_explicit_key_is_used_and_a_wrong_one_is_explained()
    {
        var asAnalyst = await CliRunner.RunAsync(silo, "--api-key", TestKeys.Analyst, "concentration");
        Assert.Equal(0, asAnalyst.ExitCode);

        var wrong = await CliRunner.RunAsync(silo, "--api-key", "not-a-key", "concentration");
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("Unauthenticated", wrong.Err);
        Assert.Contains("ACTORCRM_API_KEY", wrong.Err);

        var analystRead = await CliRunner.RunAsync(silo, "--api-key", TestKeys.Analyst, "get", "account", "no-such-account");
        Assert.Contains("NotFound", analystRead.Err); // the analyst's own key reached the silo: a read it may do
    }
}
