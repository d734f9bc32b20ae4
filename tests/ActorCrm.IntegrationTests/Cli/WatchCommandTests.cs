using ActorCrm.Api.V1;
using ActorCrm.Client;
using ActorCrm.IntegrationTests.Api;
using ActorCrm.IntegrationTests.Infrastructure;
using Google.Protobuf.WellKnownTypes;

namespace ActorCrm.IntegrationTests.Cli;

[Collection(SiloCollection.Name)]
public class WatchCommandTests(SiloFactory silo)
{
    [Fact]
    public async Task Watch_account_prints_the_current_state_then_each_change_as_json_lines()
    {
        var id = Ids.New("cliwatch");
        var account = await silo.Accounts.CreateAccountAsync(new CreateAccountRequest { Account = AccountApiTests.NewAccount(id) });
        var run = CliRunner.RunAsync(silo, "watch", "account", id, "--count", "2", "--output", "json");

        // Change the account until the watcher has seen a second state (its stream may open after the first change).
        for (var i = 0; !run.IsCompleted && i < 50; i++)
        {
            account = await silo.Accounts.UpdateAccountAsync(new UpdateAccountRequest
            {
                Account = new Account { AccountId = id, Owner = $"u-owner-{i}", Etag = account.Etag },
                UpdateMask = new FieldMask { Paths = { "owner" } },
            });
            await Task.WhenAny(run, Task.Delay(200));
        }

        var result = await run;
        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        var lines = result.JsonLines;
        Assert.Equal(2, lines.Count);
        Assert.Equal(id, lines[0].GetProperty("account").GetProperty("account_id").GetString());
        Assert.True(long.Parse(lines[1].GetProperty("sequence").GetString()!) > long.Parse(lines[0].GetProperty("sequence").GetString()!));
        Assert.StartsWith("u-owner-", lines[1].GetProperty("account").GetProperty("owner").GetString());
    }

    [Fact]
    public async Task Watch_concentration_prints_figures_and_top_rows_and_refuses_a_bad_alert()
    {
        var table = await CliRunner.RunAsync(silo, "watch", "concentration", "--count", "1", "--top", "3");
        Assert.True(table.ExitCode == ExitCodes.Success, table.ToString());
        Assert.Contains("top 20% share (Pareto)", table.Out);

        var json = await CliRunner.RunAsync(silo, "watch", "concentration", "--count", "1", "--output", "json", "--alert", "hhi=0.25");
        Assert.True(json.ExitCode == ExitCodes.Success, json.ToString());
        Assert.True(Assert.Single(json.JsonLines).TryGetProperty("concentration", out _));

        var bad = await CliRunner.RunAsync(silo, "watch", "concentration", "--count", "1", "--alert", "hhi");
        Assert.Equal(ExitCodes.Usage, bad.ExitCode);
        var unknown = await CliRunner.RunAsync(silo, "watch", "concentration", "--count", "1", "--alert", "revenue=3");
        Assert.Equal(ExitCodes.Failure, unknown.ExitCode);
        Assert.Contains("InvalidArgument", unknown.Err);
    }
}
