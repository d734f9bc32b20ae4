using System.CommandLine;
using System.Globalization;
using ActorCrm.Api.V1;
using ActorCrm.Client.Output;
using Google.Protobuf;
using Grpc.Core;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace ActorCrm.Client.Commands;

/// <summary>
/// `actorcrm watch account ID` / `actorcrm watch concentration`: follow the server's live streams.
/// In a terminal the view is redrawn in place; piped, or with --output json (one line per update),
/// each update is appended. Runs until Ctrl-C or --count updates.
/// </summary>
public static class WatchCommand
{
    public static Command Create(CliHost host)
    {
        var watch = new Command("watch", "Live views of an account or of the concentration (Ctrl-C to stop)");
        watch.Subcommands.Add(Account(host));
        watch.Subcommands.Add(Concentration(host));
        return watch;
    }

    private static Option<int> CountOption() => new("--count")
    {
        Description = "stop after this many updates (0 = until Ctrl-C)",
        DefaultValueFactory = _ => 0,
        Validators = { r => { if (r.GetValueOrDefault<int>() < 0) r.AddError("--count must be 0 or more"); } },
    };

    private static Command Account(CliHost host)
    {
        var id = new Argument<string>("id") { Description = "the account id" };
        var contacts = new Option<bool>("--contacts") { Description = "include the contacts' summaries" };
        var resume = new Option<long>("--resume-after") { Description = "a sequence already seen: start with the first newer state" };
        var count = CountOption();
        var command = new Command("account", "Follow one account: its fields, pipeline, window revenue and contacts") { id, contacts, resume, count };
        command.SetAction((parse, cancel) => GlobalOptions.RunAsync(host, parse, context =>
        {
            var request = new WatchAccountRequest { AccountId = parse.GetValue(id)!, IncludeContacts = parse.GetValue(contacts), ResumeAfterSequence = parse.GetValue(resume) };
            return FollowAsync(context, context.Accounts.WatchAccount(request, cancellationToken: cancel), parse.GetValue(count), AccountView, cancel);
        }));
        return command;
    }

    private static Command Concentration(CliHost host)
    {
        var scope = GlobalOptions.Scope;
        var interval = new Option<int>("--interval-ms") { Description = "least time between updates", DefaultValueFactory = _ => 1000 };
        var top = new Option<int>("--top") { Description = "top rows to show, 0..100", DefaultValueFactory = _ => 10 };
        var alerts = new Option<string[]>("--alert")
        {
            Description = "METRIC=VALUE, e.g. pareto_share=0.8 or hhi=0.25: report crossings of that threshold",
            AllowMultipleArgumentsPerToken = true,
        };
        var count = CountOption();
        var command = new Command("concentration", "Follow the concentration figures and the top accounts") { scope, interval, top, alerts, count };
        command.SetAction((parse, cancel) => GlobalOptions.RunAsync(host, parse, context =>
        {
            var request = new WatchConcentrationRequest { Scope = parse.GetValue(scope).ToProto(), MinIntervalMs = parse.GetValue(interval), TopLimit = parse.GetValue(top) };
            foreach (var spec in parse.GetValue(alerts) ?? [])
            {
                var eq = spec.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0 || !double.TryParse(spec[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                    throw new CliException($"--alert '{spec}': expected METRIC=VALUE, e.g. pareto_share=0.8", ExitCodes.Usage);
                request.AlertThresholds.Add(new AlertThreshold { Metric = spec[..eq], Value = value });
            }
            return FollowAsync(context, context.Ranking.WatchConcentration(request, cancellationToken: cancel), parse.GetValue(count), ConcentrationView, cancel);
        }));
        return command;
    }

    /// <summary>Prints each update until the stream ends, --count is reached or the user stops it (all three are success).</summary>
    private static async Task<int> FollowAsync<T>(CommandContext context, AsyncServerStreamingCall<T> call, int count, Func<T, IRenderable> view, CancellationToken cancel)
        where T : IMessage
    {
        using var _ = call;
        var host = context.Host;
        var live = !context.Json && host.Out.Profile.Capabilities.Interactive;
        var received = 0;
        try
        {
            if (live)
            {
                await host.Out.Live(new Text("waiting for the first update…")).StartAsync(async display =>
                {
                    await foreach (var update in call.ResponseStream.ReadAllAsync(cancel))
                    {
                        display.UpdateTarget(view(update));
                        if (++received == count) break;
                    }
                });
                return ExitCodes.Success;
            }
            await foreach (var update in call.ResponseStream.ReadAllAsync(cancel))
            {
                if (context.Json) DetailView.WriteJsonLines(host, [update]);
                else host.Out.Write(view(update));
                if (++received == count) break;
            }
            return ExitCodes.Success;
        }
        catch (Exception error) when (cancel.IsCancellationRequested && error is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
        {
            return ExitCodes.Success; // Ctrl-C
        }
    }

    private static IRenderable AccountView(AccountEvent update)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("field").AddColumn("value");
        void Row(string name, string value) => table.AddRow(new Text(name), new Text(value));
        if (update.Account is { } account)
        {
            Row("account", $"{account.DisplayName} ({account.AccountId})");
            Row("tier", ProtoJson.Short(account.Tier));
            Row("owner", account.Owner);
            Row("etag", account.Etag);
        }
        else
        {
            Row("account", "deleted");
        }
        Row("window revenue (CNY)", Money.Format(update.RevenueWindowTotalMinor));
        Row("open opportunities", $"{update.OpenOpportunityCount} ({Money.Format(update.OpenPipelineMinor)} CNY)");
        foreach (var contact in update.Contacts)
            Row("contact", $"{contact.DisplayName} · {contact.Title} · {ProtoJson.Short(contact.Level)} · {ProtoJson.Short(contact.RelationshipStrength)}");
        table.Caption = new TableTitle($"sequence {update.Sequence} at {update.EventTime?.ToDateTimeOffset().ToString("u", CultureInfo.InvariantCulture)}");
        return table;
    }

    private static IRenderable ConcentrationView(ConcentrationUpdate update)
    {
        var parts = new List<IRenderable> { RankingCommands.FiguresTable(("now", update.Concentration)) };
        if (update.TopAccounts.Count > 0)
        {
            var top = new Table().Border(TableBorder.Rounded).AddColumn("rank").AddColumn("account").AddColumn(new TableColumn("revenue (CNY)").RightAligned())
                .AddColumn(new TableColumn("share").RightAligned()).AddColumn("abc");
            foreach (var row in update.TopAccounts)
                top.AddRow(new Text(row.Rank.ToString(CultureInfo.InvariantCulture)), new Text($"{row.DisplayName} ({row.AccountId})"),
                    new Text(Money.Format(row.RevenueMinor)), new Text(Money.Percent(row.Share)), new Text(ProtoJson.Short(row.AbcClass)));
            parts.Add(top);
        }
        foreach (var alert in update.Alerts)
            parts.Add(new Markup(Markup.Escape($"ALERT {alert.Metric} {(alert.Direction == AlertDirection.Rising ? "rose to" : "fell to")} {alert.Value:0.####} (threshold {alert.Threshold:0.####})")));
        return new Rows(parts);
    }
}
