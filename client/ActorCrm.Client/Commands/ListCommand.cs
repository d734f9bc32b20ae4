using System.CommandLine;
using ActorCrm.Api.V1;
using ActorCrm.Client.Export;
using ActorCrm.Client.Output;
using Spectre.Console;

namespace ActorCrm.Client.Commands;

/// <summary>`actorcrm list accounts [--tier] [--parent] [--name] [--owner] [--full]`</summary>
public static class ListCommand
{
    public static Command Create(CliHost host)
    {
        var tier = new Option<TierOption?>("--tier") { Description = "only this strategic tier: NationalHq, BureauOrProvince or LocalOrOther" };
        var parent = new Option<string>("--parent") { Description = "only the direct sub-accounts of this account" };
        var name = new Option<string>("--name") { Description = "only names starting with this text" };
        var owner = new Option<string>("--owner") { Description = "only accounts owned by this user" };
        var full = new Option<bool>("--full") { Description = "every field of each account (loads each account; the listing fields alone come from the directory)" };
        var accounts = new Command("accounts", "List accounts in id order, all pages") { tier, parent, name, owner, full };
        accounts.SetAction((parse, cancel) => GlobalOptions.RunAsync(host, parse, async context =>
        {
            var request = new ListAccountsRequest
            {
                Tier = parse.GetValue(tier) is { } t ? (StrategicTier)(int)t : StrategicTier.Unspecified,
                ParentAccountId = parse.GetValue(parent) ?? "",
                NamePrefix = parse.GetValue(name) ?? "",
                Owner = parse.GetValue(owner) ?? "",
                View = parse.GetValue(full) ? AccountListView.Full : AccountListView.Basic,
            };
            var table = new Table().Border(TableBorder.Rounded)
                .AddColumns("account_id", "tier", "parent_account_id", "display_name", "owner");
            if (request.View == AccountListView.Full) table.AddColumns("region", "contacts");
            var count = 0;
            await foreach (var account in Pagers.AccountsAsync(context.Accounts, request, cancel))
            {
                count++;
                if (context.Json) host.OutText.WriteLine(ProtoJson.Format(account));
                else
                {
                    List<Text> cells = [new(account.AccountId), new(ProtoJson.Short(account.Tier)), new(account.ParentAccountId), new(account.DisplayName), new(account.Owner)];
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

    /// <summary>The tiers by their short names (the proto's STRATEGIC_TIER_ values).</summary>
    public enum TierOption { NationalHq = 1, BureauOrProvince = 2, LocalOrOther = 3 }
}
