using ActorCrm.DemoData;
using ActorCrm.IntegrationTests.Infrastructure;

namespace ActorCrm.IntegrationTests.Cli;

/// <summary>A silo of its own: the ranking covers every account in it.</summary>
public sealed class DemoSiloFactory : SiloFactory;

/// <summary>`actorcrm demo` loads the generated book; `top`, `concentration`, `what-if`, `get`, `list` read it back.</summary>
public class DemoAndQueryTests(DemoSiloFactory silo) : IClassFixture<DemoSiloFactory>
{
    private const int Accounts = 60, Seed = 7;
    private const string Anchor = "2026-11-27T08:00:00Z"; // the test silo's product clock

    private readonly SemaphoreSlim _loaded = new(1, 1);
    private static bool s_loaded;

    private async Task LoadDemoAsync()
    {
        await _loaded.WaitAsync();
        try
        {
            if (s_loaded) return;
            var run = await CliRunner.RunAsync(silo, "demo", "--accounts", $"{Accounts}", "--seed", $"{Seed}", "--anchor", Anchor, "--no-progress", "--output", "json");
            Assert.True(run.ExitCode == 0, run.ToString());
            var summaries = run.JsonLines.ToDictionary(s => s.GetProperty("kind").GetString()!);
            Assert.Equal(Accounts, summaries["accounts"].GetProperty("created").GetInt64());
            Assert.All(summaries.Values, s => Assert.Equal(0, s.GetProperty("rejected").GetInt64()));
            s_loaded = true;
        }
        finally
        {
            _loaded.Release();
        }
    }

    /// <summary>The top accounts recomputed from the generated events: window (today − 365, today], positive totals, ties by id.</summary>
    private static List<string> ExpectedTop(int count)
    {
        var data = DemoDataGenerator.Generate(new DemoDataOptions(Accounts, Seed, DateTimeOffset.Parse(Anchor, System.Globalization.CultureInfo.InvariantCulture)));
        var today = new DateOnly(2026, 11, 27);
        return data.Revenue
            .Where(e => { var d = DateOnly.FromDateTime(e.OccurredAt.ToDateTime()); return d <= today && d.DayNumber > today.DayNumber - 365; })
            .GroupBy(e => e.AccountId)
            .Select(g => (Id: g.Key, Total: g.Sum(e => e.AmountMinor)))
            .Where(t => t.Total > 0)
            .OrderByDescending(t => t.Total).ThenBy(t => t.Id, StringComparer.Ordinal)
            .Take(count).Select(t => t.Id).ToList();
    }

    [Fact]
    public async Task Demo_then_top_shows_the_largest_accounts_of_the_generated_book()
    {
        await LoadDemoAsync();
        var expected = ExpectedTop(10);
        List<string> actual = [];
        for (var attempt = 0; attempt < 40 && !actual.SequenceEqual(expected); attempt++)
        {
            if (attempt > 0) await Task.Delay(100);
            var run = await CliRunner.RunAsync(silo, "top", "--limit", "10", "--output", "json");
            Assert.Equal(0, run.ExitCode);
            actual = run.JsonLines.Select(r => r.GetProperty("account_id").GetString()!).ToList();
        }
        Assert.Equal(expected, actual);

        var table = await CliRunner.RunAsync(silo, "top", "--limit", "5");
        Assert.Equal(0, table.ExitCode);
        Assert.Contains(expected[0], table.Out);
        Assert.Contains("cumulative", table.Out);
    }

    [Fact]
    public async Task Demo_again_changes_nothing()
    {
        await LoadDemoAsync();
        var run = await CliRunner.RunAsync(silo, "demo", "--accounts", $"{Accounts}", "--seed", $"{Seed}", "--anchor", Anchor, "--no-progress", "--output", "json");
        Assert.True(run.ExitCode == 0, run.ToString());
        foreach (var summary in run.JsonLines)
        {
            Assert.Equal(0, summary.GetProperty("created").GetInt64());
            Assert.Equal(0, summary.GetProperty("updated").GetInt64());
            Assert.Equal(0, summary.GetProperty("rejected").GetInt64());
        }
    }

    [Fact]
    public async Task Concentration_what_if_get_and_list_read_the_book()
    {
        await LoadDemoAsync();
        var top = ExpectedTop(1)[0];

        var figures = await CliRunner.RunAsync(silo, "concentration");
        Assert.True(figures.ExitCode == 0, figures.ToString());
        Assert.Contains("Lorenz", figures.Out);
        Assert.Contains("Gini", figures.Out);
        var groups = await CliRunner.RunAsync(silo, "concentration", "--scope", "group", "--output", "json");
        Assert.Equal("RANKING_SCOPE_GROUP", groups.JsonLines[0].GetProperty("scope").GetString());

        var whatIf = await CliRunner.RunAsync(silo, "what-if", "--remove", top, "--output", "json");
        Assert.True(whatIf.ExitCode == 0, whatIf.ToString());
        var before = whatIf.JsonLines[0].GetProperty("before").GetProperty("account_count").GetString();
        var after = whatIf.JsonLines[0].GetProperty("after").GetProperty("account_count").GetString(); // int64: a JSON string in proto JSON
        Assert.Equal(long.Parse(before!) - 1, long.Parse(after!));

        var get = await CliRunner.RunAsync(silo, "get", "account", top, "--output", "json");
        Assert.Equal(top, get.JsonLines[0].GetProperty("account_id").GetString());
        var missing = await CliRunner.RunAsync(silo, "get", "account", "no-such-account");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("NotFound", missing.Err);

        var hqs = await CliRunner.RunAsync(silo, "list", "accounts", "--tier", "NationalHq", "--output", "json");
        Assert.NotEmpty(hqs.JsonLines);
        Assert.All(hqs.JsonLines, a => Assert.Equal("STRATEGIC_TIER_NATIONAL_HQ", a.GetProperty("tier").GetString()));

        var usage = await CliRunner.RunAsync(silo, "top", "--limit", "0");
        Assert.Equal(2, usage.ExitCode);
    }
}
