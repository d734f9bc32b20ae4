using System.CommandLine;
using ActorCrm.Api.V1;
using ActorCrm.Client.Output;
using Spectre.Console;

namespace ActorCrm.Client.Commands;

/// <summary>`actorcrm insights ID…`: what is known and not known about accounts, and their red flags.</summary>
public static class InsightsCommand
{
    public static Command Create(CliHost host)
    {
        var ids = new Argument<string[]>("id") { Arity = ArgumentArity.OneOrMore, Description = "account ids" };
        var command = new Command("insights", "Intel coverage per category, missing and stale intel, red flags and share of wallet of accounts") { ids };
        command.SetAction((parse, cancel) => GlobalOptions.RunAsync(host, parse, async context =>
        {
            foreach (var id in parse.GetValue(ids)!)
            {
                var account = await context.Accounts.GetAccountAsync(new GetAccountRequest { AccountId = id }, cancellationToken: cancel);
                if (context.Json) host.OutText.WriteLine(ProtoJson.Object(("account_id", System.Text.Json.JsonSerializer.Serialize(account.AccountId)), ("insights", ProtoJson.FormatWithDefaults(account.Insights))));
                else Write(host.Out, account);
            }
            return ExitCodes.Success;
        }));
        return command;
    }

    private static void Write(IAnsiConsole console, Account account)
    {
        var insights = account.Insights;
        console.Write(new Rule($"[bold]{Markup.Escape(account.DisplayName)}[/] ({Markup.Escape(account.AccountId)})").LeftJustified());
        var table = new Table().AddColumn("category").AddColumn(new TableColumn("known").RightAligned()).AddColumn("");
        foreach (var (name, score) in new[]
        {
            ("organisation", insights.OrganisationCoverage), ("competitors", insights.CompetitorCoverage),
            ("projects", insights.ProjectCoverage), ("people", insights.PeopleCoverage), ("overall", insights.OverallCoverage),
        })
            table.AddRow(name, Money.Percent(score), new string('█', (int)Math.Round(score * 20)) + new string('░', 20 - (int)Math.Round(score * 20)));
        console.Write(table);
        var share = insights.HasShareOfWallet ? Money.Percent(insights.ShareOfWallet) : "unknown (no yearly purchase volume)";
        var subtreeShare = insights.HasSubtreeShareOfWallet ? Money.Percent(insights.SubtreeShareOfWallet) : "unknown";
        console.MarkupLineInterpolated($"share of wallet: {share}   with the accounts below it: {subtreeShare}");
        if (insights.RedFlags.Count > 0)
        {
            console.MarkupLine("[red bold]red flags[/]");
            foreach (var flag in insights.RedFlags) console.MarkupLineInterpolated($"  [red]{flag.Code}[/]  {flag.Message}");
        }
        if (insights.Missing.Count > 0)
        {
            console.MarkupLine("[yellow bold]missing intel[/]");
            foreach (var group in insights.Missing.GroupBy(m => m.Category))
            {
                console.MarkupLineInterpolated($"  [bold]{ProtoJson.Short(group.Key)}[/] ({group.Count()})");
                foreach (var item in group) console.MarkupLineInterpolated($"    {item.Code}  {item.Message}");
            }
        }
    }
}
