using System.CommandLine;
using ActorCrm.Api;
using ActorCrm.Api.V1;
using Google.Protobuf;
using Grpc.Core;

namespace ActorCrm.Client;

/// <summary>
/// The command tree. This is the skeleton: `get account` and `list accounts`; import, export,
/// demo, top, concentration, watch and bench come with their own issue.
/// Exit codes: 0 success, 1 failure (the server's status is printed), 2 usage error.
/// </summary>
public static class Cli
{
    private static readonly Option<string> Address = new("--address")
    {
        Description = "The silo's gRPC endpoint",
        DefaultValueFactory = _ => ActorCrmChannel.DefaultAddress,
        Recursive = true,
    };

    private static readonly Option<OutputFormat> Output = new("--output")
    {
        Description = "table or json (JSON uses the proto's snake_case field names)",
        DefaultValueFactory = _ => OutputFormat.Table,
        Recursive = true,
    };

    public static RootCommand Build()
    {
        var root = new RootCommand("actorcrm — the ActorCrm command-line client") { Address, Output };
        root.Subcommands.Add(GetCommand());
        root.Subcommands.Add(ListCommand());
        return root;
    }

    private static Command GetCommand()
    {
        var ids = new Argument<string[]>("id") { Arity = ArgumentArity.OneOrMore, Description = "account ids" };
        var account = new Command("account", "Show accounts") { ids };
        account.SetAction(async (parse, cancel) => await RunAsync(parse, async client =>
        {
            var accounts = new List<Account>();
            foreach (var id in parse.GetValue(ids)!)
                accounts.Add(await client.GetAccountAsync(new GetAccountRequest { AccountId = id }, cancellationToken: cancel));
            Print(parse, accounts);
        }));
        return new Command("get", "Show resources by id") { account };
    }

    private static Command ListCommand()
    {
        var tier = new Option<StrategicTier>("--tier") { Description = "only this strategic tier, e.g. StrategicTierNationalHq" };
        var parent = new Option<string>("--parent") { Description = "only sub-accounts of this account" };
        var name = new Option<string>("--name") { Description = "only names starting with this text" };
        var owner = new Option<string>("--owner") { Description = "only accounts owned by this user" };
        var accounts = new Command("accounts", "List accounts in id order, all pages") { tier, parent, name, owner };
        accounts.SetAction(async (parse, cancel) => await RunAsync(parse, async client =>
        {
            var all = new List<Account>();
            var request = new ListAccountsRequest
            {
                PageSize = 1000,
                Tier = parse.GetValue(tier),
                ParentAccountId = parse.GetValue(parent) ?? "",
                NamePrefix = parse.GetValue(name) ?? "",
                Owner = parse.GetValue(owner) ?? "",
            };
            do
            {
                var page = await client.ListAccountsAsync(request, cancellationToken: cancel);
                all.AddRange(page.Accounts);
                request.PageToken = page.NextPageToken;
            } while (request.PageToken.Length > 0);
            Print(parse, all);
        }));
        return new Command("list", "List resources") { accounts };
    }

    private static async Task<int> RunAsync(ParseResult parse, Func<AccountService.AccountServiceClient, Task> action)
    {
        using var channel = ActorCrmChannel.Create(parse.GetValue(Address)!);
        try
        {
            await action(new AccountService.AccountServiceClient(channel));
            return 0;
        }
        catch (RpcException error)
        {
            Console.Error.WriteLine($"{error.StatusCode}: {error.Status.Detail}");
            return 1;
        }
    }

    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true).WithFormatDefaultValues(false));

    private static void Print(ParseResult parse, IReadOnlyList<Account> accounts)
    {
        if (parse.GetValue(Output) == OutputFormat.Json)
        {
            foreach (var account in accounts) Console.WriteLine(Json.Format(account));
            return;
        }
        Console.WriteLine($"{"ACCOUNT_ID",-24} {"TIER",-34} {"PARENT",-24} NAME");
        foreach (var a in accounts)
            Console.WriteLine($"{a.AccountId,-24} {a.Tier,-34} {a.ParentAccountId,-24} {a.DisplayName}");
    }
}

public enum OutputFormat { Table, Json }
