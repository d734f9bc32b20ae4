using System.CommandLine;
using System.Globalization;
using ActorCrm.Api.V1;
using ActorCrm.Client.Output;
using Spectre.Console;

namespace ActorCrm.Client.Commands;

/// <summary>`actorcrm top`, `actorcrm concentration`, `actorcrm what-if` — the 80/20 picture.</summary>
public static class RankingCommands
{
    public static Command Top(CliHost host)
    {
        var limit = new Option<int>("--limit") { Description = "how many rows", DefaultValueFactory = _ => 20 };
        limit.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError("--limit must be at least 1"); });
        var scope = GlobalOptions.Scope;
        var command = new Command("top", "The largest accounts (or groups) by rolling-window revenue") { limit, scope };
        command.SetAction((parse, cancel) => GlobalOptions.RunAsync(host, parse, async context =>
        {
            var wanted = parse.GetValue(limit);
            var request = new ListTopAccountsRequest { Scope = parse.GetValue(scope).ToProto(), PageSize = Math.Min(wanted, 1000) };
            var rows = new List<TopAccountRow>();
            do
            {
                var page = await context.Ranking.ListTopAccountsAsync(request, cancellationToken: cancel);
                rows.AddRange(page.Rows.Take(wanted - rows.Count));
                request.PageToken = page.NextPageToken;
            } while (rows.Count < wanted && request.PageToken.Length > 0);

            if (context.Json)
            {
                DetailView.WriteJsonLines(host, rows);
                return ExitCodes.Success;
            }
            var table = new Table().Border(TableBorder.Rounded)
                .AddColumn("rank").AddColumn("account_id").AddColumn("display_name").AddColumn("tier")
                .AddColumn(new TableColumn("revenue (CNY)").RightAligned()).AddColumn(new TableColumn("share").RightAligned())
                .AddColumn(new TableColumn("cumulative").RightAligned()).AddColumn("abc");
            foreach (var row in rows)
                table.AddRow(
                    new Text(row.Rank.ToString(CultureInfo.InvariantCulture)), new Text(row.AccountId), new Text(row.DisplayName),
                    new Text(ProtoJson.Short(row.Tier)), new Text(Money.Format(row.RevenueMinor)),
                    new Text(Money.Percent(row.Share)), new Text(Money.Percent(row.CumulativeShare)),
                    new Text(ProtoJson.Short(row.AbcClass)));
            table.Caption = new TableTitle($"top {rows.Count} by {parse.GetValue(scope).ToString().ToLowerInvariant()}");
            host.Out.Write(table);
            return ExitCodes.Success;
        }));
        return command;
    }

    public static Command Concentration(CliHost host)
    {
        var scope = GlobalOptions.Scope;
        var command = new Command("concentration", "How concentrated revenue is: Pareto share, top-k shares, HHI, Gini, ABC, Lorenz curve") { scope };
        command.SetAction((parse, cancel) => GlobalOptions.RunAsync(host, parse, async context =>
        {
            var figures = await context.Ranking.GetConcentrationAsync(new GetConcentrationRequest { Scope = parse.GetValue(scope).ToProto() }, cancellationToken: cancel);
            if (context.Json)
            {
                DetailView.WriteJsonLines(host, [figures]);
                return ExitCodes.Success;
            }
            host.Out.Write(FiguresTable(("now", figures)));
            host.Out.WriteLine();
            host.Out.Write(new Panel(new Text(LorenzChart.Render(figures.Lorenz))) { Header = new PanelHeader("Lorenz curve (revenue share of the smallest x% of accounts)") });
            host.Out.WriteLine();
            return ExitCodes.Success;
        }));
        return command;
    }

    public static Command WhatIf(CliHost host)
    {
        var remove = new Option<string[]>("--remove") { Description = "accounts to leave out (e.g. churned customers)", AllowMultipleArgumentsPerToken = true };
        var adjust = new Option<string[]>("--adjust") { Description = "ACCOUNT_ID=DELTA_MINOR: change an account's window total", AllowMultipleArgumentsPerToken = true };
        var scope = GlobalOptions.Scope;
        var command = new Command("what-if", "The concentration as it would be without some accounts (changes nothing)") { remove, adjust, scope };
        command.Validators.Add(r =>
        {
            if ((r.GetValue(remove)?.Length ?? 0) == 0 && (r.GetValue(adjust)?.Length ?? 0) == 0)
                r.AddError("name at least one account with --remove ID… or --adjust ID=DELTA");
        });
        command.SetAction((parse, cancel) => GlobalOptions.RunAsync(host, parse, async context =>
        {
            var request = new WhatIfRequest { Scope = parse.GetValue(scope).ToProto() };
            request.RemoveAccountIds.AddRange(parse.GetValue(remove) ?? []);
            foreach (var item in parse.GetValue(adjust) ?? [])
            {
                var eq = item.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0 || !long.TryParse(item[(eq + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var delta))
                    throw new CliException($"--adjust '{item}': expected ACCOUNT_ID=DELTA_MINOR, e.g. hengding-hq=-100000000", ExitCodes.Usage);
                request.RevenueAdjustments.Add(new RevenueAdjustment { AccountId = item[..eq], DeltaMinor = delta });
            }
            var before = await context.Ranking.GetConcentrationAsync(new GetConcentrationRequest { Scope = request.Scope }, cancellationToken: cancel);
            var after = await context.Ranking.WhatIfAsync(request, cancellationToken: cancel);
            if (context.Json)
            {
                host.OutText.WriteLine(ProtoJson.Object(("before", ProtoJson.Format(before)), ("after", ProtoJson.Format(after))));
                host.OutText.Flush();
                return ExitCodes.Success;
            }
            host.Out.Write(FiguresTable(("now", before), ("what-if", after)));
            host.Out.WriteLine();
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>The headline figures, one column per scenario.</summary>
    internal static Table FiguresTable(params (string Title, Concentration Figures)[] columns)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("figure");
        foreach (var (title, _) in columns) table.AddColumn(new TableColumn(title).RightAligned());
        void Row(string name, Func<Concentration, string> value) =>
            table.AddRow([new Text(name), .. columns.Select(c => new Text(value(c.Figures)))]);
        Row("accounts with revenue (n)", f => f.AccountCount.ToString("#,##0", CultureInfo.InvariantCulture));
        Row("non-positive accounts", f => f.NonPositiveCount.ToString("#,##0", CultureInfo.InvariantCulture));
        Row($"total revenue ({columns[0].Figures.CurrencyCode})", f => f.TotalRevenueDecimal.Length > 2
            ? Money.Format(long.TryParse(f.TotalRevenueDecimal, CultureInfo.InvariantCulture, out var t) ? t : f.TotalRevenueMinor)
            : Money.Format(f.TotalRevenueMinor));
        Row("top 20% share (Pareto)", f => Money.Percent(f.ParetoShare));
        foreach (var k in columns[0].Figures.TopShares.Select(s => s.Count))
            Row($"top {k} share", f => f.TopShares.FirstOrDefault(s => s.Count == k) is { } s ? Money.Percent(s.Share) : "");
        Row("HHI", f => f.Hhi.ToString("0.0000", CultureInfo.InvariantCulture));
        Row("Gini", f => f.Gini.ToString("0.0000", CultureInfo.InvariantCulture));
        Row("A / B / C accounts", f => $"{f.ClassACount} / {f.ClassBCount} / {f.ClassCCount}");
        Row("window (days)", f => f.WindowDays.ToString(CultureInfo.InvariantCulture));
        Row("as of", f => f.AsOf?.ToDateTimeOffset().ToString("u", CultureInfo.InvariantCulture) ?? "");
        return table;
    }
}
