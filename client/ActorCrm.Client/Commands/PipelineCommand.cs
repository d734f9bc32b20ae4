using System.CommandLine;
using ActorCrm.Api.V1;
using ActorCrm.Client.Output;
using Spectre.Console;

namespace ActorCrm.Client.Commands;

/// <summary>`actorcrm pipeline [--account ID | --owner USER]`: open and weighted pipeline by stage, tier and ABC class; won and lost by reason.</summary>
public static class PipelineCommand
{
    public static Command Create(CliHost host)
    {
        var account = new Option<string>("--account") { Description = "an account and everything below it (its group)" };
        var owner = new Option<string>("--owner") { Description = "the accounts this user owns" };
        var command = new Command("pipeline", "The sales pipeline of a group, an owner or (neither given) all accounts: open and weighted amounts by stage, tier and ABC class; won and lost deals by reason")
        {
            account, owner,
        };
        command.SetAction((parse, cancel) => GlobalOptions.RunAsync(host, parse, async context =>
        {
            var request = (parse.GetValue(account), parse.GetValue(owner)) switch
            {
                ({ Length: > 0 }, { Length: > 0 }) => throw new CliException("give --account or --owner, not both", ExitCodes.Usage),
                ({ Length: > 0 } id, _) => new GetPipelineSummaryRequest { AccountId = id },
                (_, { Length: > 0 } user) => new GetPipelineSummaryRequest { Owner = user },
                _ => new GetPipelineSummaryRequest { All = true },
            };
            var summary = await context.Opportunities.GetPipelineSummaryAsync(request, cancellationToken: cancel);
            if (context.Json) host.OutText.WriteLine(ProtoJson.FormatWithDefaults(summary));
            else Write(host.Out, request, summary);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static void Write(IAnsiConsole console, GetPipelineSummaryRequest request, PipelineSummary s)
    {
        var scope = request.ScopeCase switch
        {
            GetPipelineSummaryRequest.ScopeOneofCase.AccountId => $"group {request.AccountId}",
            GetPipelineSummaryRequest.ScopeOneofCase.Owner => $"owner {request.Owner}",
            _ => "all accounts",
        };
        console.Write(new Rule($"[bold]pipeline[/] of {Markup.Escape(scope)} ({s.AccountCount} account{(s.AccountCount == 1 ? "" : "s")} with opportunities, amounts in {Markup.Escape(s.CurrencyCode)})").LeftJustified());
        console.MarkupLineInterpolated($"open {s.OpenCount}  amount {Money.Format(s.OpenAmountMinor)}  weighted {Money.Format(s.WeightedAmountMinor)}");
        console.MarkupLineInterpolated($"won  {s.WonCount}  amount {Money.Format(s.WonAmountMinor)}");
        console.MarkupLineInterpolated($"lost {s.LostCount}  amount {Money.Format(s.LostAmountMinor)}");
        if (s.OtherCurrencyCount > 0)
            console.MarkupLineInterpolated($"[yellow]{s.OtherCurrencyCount} opportunities in other currencies are not in these figures[/]");

        OpenTable(console, "stage", s.ByStage, b => ProtoJson.Short(b.Stage));
        OpenTable(console, "tier", s.ByTier, b => ProtoJson.Short(b.Tier));
        OpenTable(console, "ABC class", s.ByAbcClass, b => b.AbcClass == AbcClass.Unspecified ? "unranked" : ProtoJson.Short(b.AbcClass));
        ClosedTable(console, "won", s.Won);
        ClosedTable(console, "lost", s.Lost);
    }

    private static void OpenTable(IAnsiConsole console, string key, IEnumerable<PipelineBucket> buckets, Func<PipelineBucket, string> name)
    {
        var table = new Table().AddColumn(key).AddColumn(new TableColumn("open").RightAligned())
            .AddColumn(new TableColumn("amount").RightAligned()).AddColumn(new TableColumn("weighted").RightAligned());
        foreach (var b in buckets)
            table.AddRow(Markup.Escape(name(b)), b.OpenCount.ToString(), Money.Format(b.OpenAmountMinor), Money.Format(b.WeightedAmountMinor));
        if (table.Rows.Count > 0) console.Write(table);
    }

    private static void ClosedTable(IAnsiConsole console, string outcome, IEnumerable<ClosedBucket> buckets)
    {
        var table = new Table().AddColumn($"{outcome}: reason").AddColumn(new TableColumn("deals").RightAligned()).AddColumn(new TableColumn("amount").RightAligned());
        foreach (var b in buckets)
            table.AddRow(b.CloseReason.Length > 0 ? Markup.Escape(b.CloseReason) : "(none recorded)", b.Count.ToString(), Money.Format(b.AmountMinor));
        if (table.Rows.Count > 0) console.Write(table);
    }
}
