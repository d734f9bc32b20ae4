using System.CommandLine;
using ActorCrm.Api.V1;
using ActorCrm.Client.Export;
using ActorCrm.Client.Output;
using Spectre.Console;

namespace ActorCrm.Client.Commands;

/// <summary>`actorcrm list accounts [--tier] [--parent] [--name] [--owner] [--class A|B|C] [--min-coverage X] [--max-coverage X] [--sort id|coverage|coverage-desc|rank] [--full]`</summary>
public static class ListCommand
{
    public static Command Create(CliHost host)
    {
        var tier = new Option<TierOption?>("--tier") { Description = "only this strategic tier: NationalHq, BureauOrProvince or LocalOrOther" };
        var parent = new Option<string>("--parent") { Description = "only the direct sub-accounts of this account" };
        var name = new Option<string>("--name") { Description = "only names starting with this text" };
        var owner = new Option<string>("--owner") { Description = "only accounts owned by this user" };
        var full = new Option<bool>("--full") { Description = "every field of each account (loads each account; the listing fields alone come from the directory)" };
        var abcClass = new Option<ClassOption?>("--class") { Description = "only accounts of this ABC class (A, B or C) in the account ranking" };
        var minCoverage = new Option<double?>("--min-coverage") { Description = "only accounts whose overall intel coverage is at least this (0..1)" };
        var maxCoverage = new Option<double?>("--max-coverage") { Description = "only accounts whose overall intel coverage is at most this (0..1)" };
        var sort = new Option<SortOption>("--sort")
        {
            Description = "id (default), coverage (least known first), coverage-desc, or rank (largest revenue first; unranked accounts left out)",
            DefaultValueFactory = _ => SortOption.Id,
            CustomParser = result => result.Tokens.Single().Value switch
            {
                "id" => SortOption.Id,
                "coverage" => SortOption.Coverage,
                "coverage-desc" => SortOption.CoverageDesc,
                "rank" => SortOption.Rank,
                var other => throw new CliException($"--sort {other}: use id, coverage, coverage-desc or rank", ExitCodes.Usage),
            },
        };
        var accounts = new Command("accounts", "List accounts, all pages") { tier, parent, name, owner, abcClass, minCoverage, maxCoverage, sort, full };
        accounts.SetAction((parse, cancel) => GlobalOptions.RunAsync(host, parse, async context =>
        {
            var request = new ListAccountsRequest
            {
                Tier = parse.GetValue(tier) is { } t ? (StrategicTier)(int)t : StrategicTier.Unspecified,
                ParentAccountId = parse.GetValue(parent) ?? "",
                NamePrefix = parse.GetValue(name) ?? "",
                Owner = parse.GetValue(owner) ?? "",
                View = parse.GetValue(full) ? AccountListView.Full : AccountListView.Basic,
                AbcClass = parse.GetValue(abcClass) is { } c ? (AbcClass)(int)c : AbcClass.Unspecified,
                MinCoverage = parse.GetValue(minCoverage) ?? 0,
                Sort = parse.GetValue(sort) switch
                {
                    SortOption.Coverage => AccountListSort.CoverageAscending,
                    SortOption.CoverageDesc => AccountListSort.CoverageDescending,
                    SortOption.Rank => AccountListSort.Rank,
                    _ => AccountListSort.AccountId,
                },
            };
            if (parse.GetValue(maxCoverage) is { } max) request.MaxCoverage = max;
            var table = new Table().Border(TableBorder.Rounded)
                .AddColumns("account_id", "tier", "parent_account_id", "display_name", "owner", "rank", "class", "coverage");
            if (request.View == AccountListView.Full) table.AddColumns("region", "contacts");
            var count = 0;
            await foreach (var account in Pagers.AccountsAsync(context.Accounts, request, cancel))
            {
                count++;
                if (context.Json) host.OutText.WriteLine(ProtoJson.Format(account));
                else
                {
                    List<Text> cells =
                    [
                        new(account.AccountId), new(ProtoJson.Short(account.Tier)), new(account.ParentAccountId), new(account.DisplayName), new(account.Owner),
                        new(account.Rank == 0 ? "" : account.Rank.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                        new(account.AbcClass == AbcClass.Unspecified ? "" : ProtoJson.Short(account.AbcClass)), new(Money.Percent(account.Coverage)),
                    ];
                    if (request.View == AccountListView.Full)
                        cells.AddRange([new(account.Region), new(account.ContactCount.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
                    table.AddRow(cells);
                }
            }
            if (!context.Json)
            {
                table.Caption = new TableTitle($"{count} accounts");
                host.Out.Write(table);
            }
            host.OutText.Flush();
            return ExitCodes.Success;
        }));
        return new Command("list", "List resources") { accounts };
    }

    public enum ClassOption { A = 1, B = 2, C = 3 }

    public enum SortOption { Id, Coverage, CoverageDesc, Rank }

    /// <summary>The tiers by their short names (the proto's STRATEGIC_TIER_ values).</summary>
    public enum TierOption { NationalHq = 1, BureauOrProvince = 2, LocalOrOther = 3 }
}
