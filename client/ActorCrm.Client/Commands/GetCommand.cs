using System.CommandLine;
using ActorCrm.Api.V1;
using ActorCrm.Client.Output;
using Google.Protobuf;

namespace ActorCrm.Client.Commands;

/// <summary>`actorcrm get account|contact|opportunity ID…`</summary>
public static class GetCommand
{
    public static Command Create(CliHost host)
    {
        var get = new Command("get", "Show resources by id");
        get.Subcommands.Add(Sub(host, "account", "account ids", async (c, id, ct) => await c.Accounts.GetAccountAsync(new GetAccountRequest { AccountId = id }, cancellationToken: ct)));
        get.Subcommands.Add(Sub(host, "contact", "contact ids", async (c, id, ct) => await c.Contacts.GetContactAsync(new GetContactRequest { ContactId = id }, cancellationToken: ct)));
        get.Subcommands.Add(Sub(host, "opportunity", "ACCOUNT_ID/OPPORTUNITY_ID pairs", async (c, id, ct) =>
        {
            var slash = id.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0) throw new CliException($"'{id}': an opportunity is named ACCOUNT_ID/OPPORTUNITY_ID", ExitCodes.Usage);
            return await c.Opportunities.GetOpportunityAsync(new GetOpportunityRequest { AccountId = id[..slash], OpportunityId = id[(slash + 1)..] }, cancellationToken: ct);
        }));
        return get;
    }

    private static Command Sub(CliHost host, string name, string idsDescription, Func<CommandContext, string, CancellationToken, Task<IMessage>> fetch)
    {
        var ids = new Argument<string[]>("id") { Arity = ArgumentArity.OneOrMore, Description = idsDescription };
        var command = new Command(name, $"Show {name}s by id") { ids };
        command.SetAction((parse, cancel) => GlobalOptions.RunAsync(host, parse, async context =>
        {
            foreach (var id in parse.GetValue(ids)!)
            {
                var message = await fetch(context, id, cancel).ConfigureAwait(false);
                if (context.Json) DetailView.WriteJsonLines(host, [message]);
                else DetailView.WriteDetails(host, message);
            }
            return ExitCodes.Success;
        }));
        return command;
    }
}
