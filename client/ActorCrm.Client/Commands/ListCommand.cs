using System.CommandLine;
using ActorCrm.Api.V1;
using ActorCrm.Client.Export;
using ActorCrm.Client.Output;
using Spectre.Console;

namespace ActorCrm.Client.Commands;

/// <summary>`actorcrm list accounts [--tier] [--parent] [--name] [--owner]`</summary>
public static class ListCommand
{
    public static Command Create(CliHost host)
    {
        var tier = new Option<TierOption?>("--tier") { Description = "only this strategic tier: NationalHq, BureauOrProvince or LocalOrOther" };
        var parent = new Option<string>("--parent") { Description = "only the direct sub-accounts of this account" };
        var name = new Option<string>("--name") { Description = "only names starting with this text" };
        var owner = new Option<string>("--owner") { Description = "only accounts owned by this user" };
        var accounts = new Command("accounts", "List accounts in id order, all pages") { tier, parent, name, owner };
        accounts.SetAction((parse, cancel) => GlobalOptions.RunAsync(host, parse, async context =>
        {
            var request = new ListAccountsRequest
            {
                Tier = parse.GetValue(tier) is { } t ? (StrategicTier)(int)t : StrategicTier.Unspecified,
                ParentAccountId = parse.GetValue(parent) ?? "",
                NamePrefix = parse.GetValue(name) ?? "",
                Owner = parse.GetValue(owner) ?? "",
            };
            var table = new Table().Border(TableBorder.Rounded)
                .AddColumns("account_id", "tier", "parent_account_id", "display_name", "region", "contacts");
            var count = 0;
            await foreach (var account in Pagers.AccountsAsync(context.Accounts, request, cancel))
            {
                count++;
                if (context.Json) host.OutText.WriteLine(ProtoJson.Format(account));
                else table.AddRow(
                    new Text(account.AccountId), new Text(ProtoJson.Short(account.Tier)),
                    new Text(account.ParentAccountId), new Text(account.DisplayName), new Text(account.Region),
                    new Text(account.ContactCount.ToString(System.Globalization.CultureInfo.InvariantCulture)));
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
