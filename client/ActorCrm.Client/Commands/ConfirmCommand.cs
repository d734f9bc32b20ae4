using System.CommandLine;
using ActorCrm.Api.V1;
using ActorCrm.Client.Output;
using Spectre.Console;

namespace ActorCrm.Client.Commands;

/// <summary>`actorcrm confirm ID …`: a person confirms intel sections as still true (AccountService.ConfirmIntel).</summary>
public static class ConfirmCommand
{
    public static Command Create(CliHost host)
    {
        var id = new Argument<string>("id") { Description = "the account" };
        var profile = new Option<bool>("--profile") { Description = "its organisation profile" };
        var installedBase = new Option<bool>("--installed-base") { Description = "its installed base" };
        var competitors = new Option<string[]>("--competitor") { Description = "competitor entries, by name", AllowMultipleArgumentsPerToken = true };
        var opportunities = new Option<string[]>("--opportunity") { Description = "opportunities, by id", AllowMultipleArgumentsPerToken = true };
        var contacts = new Option<string[]>("--contact") { Description = "contacts' personal profiles, by contact id (needs the personal-data write right)", AllowMultipleArgumentsPerToken = true };
        var command = new Command("confirm", "Confirm intel sections as still true: they are verified now and no longer stale")
        {
            id, profile, installedBase, competitors, opportunities, contacts,
        };
        command.SetAction((parse, cancel) => GlobalOptions.RunAsync(host, parse, async context =>
        {
            var request = new ConfirmIntelRequest { AccountId = parse.GetValue(id)! };
            if (parse.GetValue(profile)) request.Sections.Add(new IntelSection { Kind = IntelSectionKind.OrganisationProfile });
            if (parse.GetValue(installedBase)) request.Sections.Add(new IntelSection { Kind = IntelSectionKind.InstalledBase });
            foreach (var (option, kind) in new[]
            {
                (competitors, IntelSectionKind.Competitor), (opportunities, IntelSectionKind.Opportunity), (contacts, IntelSectionKind.ContactProfile),
            })
                request.Sections.AddRange((parse.GetValue(option) ?? []).Select(subject => new IntelSection { Kind = kind, Subject = subject }));
            if (request.Sections.Count == 0)
                throw new CliException("name what to confirm: --profile, --installed-base, --competitor NAME…, --opportunity ID…, --contact ID…", ExitCodes.Usage);

            var account = await context.Accounts.ConfirmIntelAsync(request, cancellationToken: cancel);
            if (context.Json)
            {
                host.OutText.WriteLine(ProtoJson.Format(account));
                return ExitCodes.Success;
            }
            var stale = account.Insights.Missing.Where(m => m.Code.EndsWith("_STALE", StringComparison.Ordinal)).ToList();
            host.Out.MarkupLineInterpolated($"confirmed {request.Sections.Count} section(s) of {account.DisplayName} ({account.AccountId}); etag now {account.Etag}, coverage {Money.Percent(account.Insights.OverallCoverage)}");
            if (stale.Count == 0) host.Out.MarkupLine("nothing of it is stale any more");
            foreach (var item in stale) host.Out.MarkupLineInterpolated($"  still stale: [yellow]{item.Code}[/]  {item.Message}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
