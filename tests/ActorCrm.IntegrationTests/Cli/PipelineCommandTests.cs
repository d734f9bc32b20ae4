using ActorCrm.Api.V1;
using ActorCrm.Client.Output;
using ActorCrm.IntegrationTests.Infrastructure;

namespace ActorCrm.IntegrationTests.Cli;

/// <summary>A silo of its own holding the demo book.</summary>
public sealed class PipelineDemoSiloFactory : SiloFactory;

/// <summary>`actorcrm pipeline` over the generated demo book: the groups add up to the whole, the owners too, and the table aligns Chinese text.</summary>
public class PipelineCommandTests(PipelineDemoSiloFactory silo) : IClassFixture<PipelineDemoSiloFactory>
{
    [Fact]
    public async Task The_groups_of_the_demo_book_add_up_to_all_and_the_table_aligns_chinese_reasons()
    {
        var demo = await CliRunner.RunAsync(silo, "demo", "--accounts", "60", "--seed", "11", "--anchor", "2026-11-27T08:00:00Z", "--no-progress", "--output", "json");
        Assert.True(demo.ExitCode == 0, demo.ToString());

        // One deal won for a recorded reason, in Chinese, on a local unit.
        var accounts = (await silo.Accounts.ListAccountsAsync(new ListAccountsRequest { PageSize = 1000 })).Accounts;
        var local = accounts.First(a => a.ParentAccountId.Length > 0);
        var won = Api.ContactAndOpportunityApiTests.NewOpportunity(local.AccountId, "pipeline-won");
        won.Status = OpportunityStatus.Won;
        won.Stage = Stage.Closed;
        won.CloseReason = "老客户信任，技术方案领先";
        await silo.Opportunities.CreateOpportunityAsync(new CreateOpportunityRequest { Opportunity = won });

        var all = await JsonAsync("pipeline");
        Assert.True(all.OpenCount > 0 && all.WonCount > 0 && all.LostCount > 0, all.ToString());
        Assert.All(all.Won.Concat(all.Lost), b => Assert.NotEqual("", b.CloseReason)); // the demo records why each closed deal went as it did
        Assert.Equal(all, await silo.Opportunities.GetPipelineSummaryAsync(new GetPipelineSummaryRequest { All = true }), new WithoutClasses());
        Assert.Equal(all.OpenAmountMinor, all.ByAbcClass.Sum(b => b.OpenAmountMinor));
        Assert.Equal(all.WeightedAmountMinor, all.ByStage.Sum(b => b.WeightedAmountMinor));

        // Every account is in exactly one top-level group, and has exactly one owner.
        var groups = new List<PipelineSummary>();
        foreach (var top in accounts.Where(a => a.ParentAccountId.Length == 0))
            groups.Add(await JsonAsync("pipeline", "--account", top.AccountId));
        AssertSums(all, groups);
        var owners = new List<PipelineSummary>();
        foreach (var owner in accounts.Select(a => a.Owner).Distinct())
            owners.Add(owner.Length > 0 ? await JsonAsync("pipeline", "--owner", owner) : new PipelineSummary());
        if (accounts.All(a => a.Owner.Length > 0)) AssertSums(all, owners);

        // The table: figures in yuan, the reason in full, every row of a table as wide as its border.
        var table = await CliRunner.RunAsync(silo, "pipeline", "--account", local.AccountId);
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("老客户信任，技术方案领先", table.Out);
        Assert.Contains(Money.Format(won.AmountMinor), table.Out);
        var tableLines = table.Out.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0 && "┌│├└╭╰".Contains(l[0])).ToList();
        Assert.NotEmpty(tableLines);
        foreach (var block in Blocks(tableLines))
            Assert.True(block.Select(Width).Distinct().Count() == 1, string.Join('\n', block));

        Assert.Equal(2, (await CliRunner.RunAsync(silo, "pipeline", "--account", local.AccountId, "--owner", "u-x")).ExitCode);
        var missing = await CliRunner.RunAsync(silo, "pipeline", "--account", "no-such-account");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("NotFound", missing.Err);
    }

    private async Task<PipelineSummary> JsonAsync(params string[] args)
    {
        var run = await CliRunner.RunAsync(silo, [.. args, "--output", "json"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        return PipelineSummary.Parser.ParseJson(run.Out.Trim());
    }

    /// <summary>Every figure of the whole equals the sum over the parts (by_abc_class aside: classes move as the ranking digests the book's revenue).</summary>
    private static void AssertSums(PipelineSummary whole, IReadOnlyList<PipelineSummary> parts)
    {
        Assert.Equal(whole.OpenCount, parts.Sum(p => p.OpenCount));
        Assert.Equal(whole.OpenAmountMinor, parts.Sum(p => p.OpenAmountMinor));
        Assert.Equal(whole.WeightedAmountMinor, parts.Sum(p => p.WeightedAmountMinor));
        Assert.Equal((whole.WonCount, whole.WonAmountMinor), (parts.Sum(p => p.WonCount), parts.Sum(p => p.WonAmountMinor)));
        Assert.Equal((whole.LostCount, whole.LostAmountMinor), (parts.Sum(p => p.LostCount), parts.Sum(p => p.LostAmountMinor)));
        Assert.Equal(whole.AccountCount, parts.Sum(p => p.AccountCount));
        Assert.Equal(whole.OtherCurrencyCount, parts.Sum(p => p.OtherCurrencyCount));
        foreach (var stage in whole.ByStage)
            Assert.Equal(stage.WeightedAmountMinor, parts.SelectMany(p => p.ByStage).Where(b => b.Stage == stage.Stage).Sum(b => b.WeightedAmountMinor));
        foreach (var tier in whole.ByTier)
            Assert.Equal(tier.OpenAmountMinor, parts.SelectMany(p => p.ByTier).Where(b => b.Tier == tier.Tier).Sum(b => b.OpenAmountMinor));
        foreach (var reason in whole.Won.Concat(whole.Lost))
            Assert.Equal(reason.AmountMinor, parts.SelectMany(p => whole.Won.Contains(reason) ? p.Won : p.Lost).Where(b => b.CloseReason == reason.CloseReason).Sum(b => b.AmountMinor));
    }

    private sealed class WithoutClasses : IEqualityComparer<PipelineSummary>
    {
        public bool Equals(PipelineSummary? x, PipelineSummary? y) => Strip(x!).Equals(Strip(y!));

        public int GetHashCode(PipelineSummary obj) => Strip(obj).GetHashCode();

        private static PipelineSummary Strip(PipelineSummary s)
        {
            var copy = s.Clone();
            copy.ByAbcClass.Clear();
            return copy;
        }
    }

    /// <summary>Consecutive table lines, split where one table ends ('└' or '╰') and the next begins.</summary>
    private static IEnumerable<List<string>> Blocks(List<string> lines)
    {
        var block = new List<string>();
        foreach (var line in lines)
        {
            block.Add(line);
            if (line[0] is '└' or '╰')
            {
                yield return block;
                block = [];
            }
        }
        if (block.Count > 0) yield return block;
    }

    /// <summary>Terminal columns: East Asian wide and full-width characters take two.</summary>
    private static int Width(string line)
    {
        var width = 0;
        foreach (var rune in line.EnumerateRunes())
            width += rune.Value is >= 0x1100 and <= 0x115F or >= 0x2E80 and <= 0xA4CF or >= 0xAC00 and <= 0xD7A3
                or >= 0xF900 and <= 0xFAFF or >= 0xFE30 and <= 0xFE4F or >= 0xFF00 and <= 0xFF60 or >= 0xFFE0 and <= 0xFFE6 ? 2 : 1;
        return width;
    }
}
