using Spectre.Console;
using System.CommandLine;
using System.Globalization;
using ActorCrm.Client.Import;
using ActorCrm.DemoData;
using Google.Protobuf;

namespace ActorCrm.Client.Commands;

/// <summary>
/// `actorcrm demo [--accounts 10000] [--seed 42] [--anchor DATE]`: generates the deterministic demo
/// book (the silo's first-run seed uses the same generator) and loads it with the import machinery,
/// so it is an upsert too: loading the same book twice changes nothing.
/// </summary>
public static class DemoCommand
{
    public static Command Create(CliHost host)
    {
        var accounts = new Option<int>("--accounts") { Description = "number of accounts", DefaultValueFactory = _ => 10_000 };
        accounts.Validators.Add(r =>
        {
            var n = r.GetValueOrDefault<int>();
            if (n < 1 || n > DemoDataGenerator.MaxAccounts) r.AddError($"--accounts must be 1..{DemoDataGenerator.MaxAccounts}");
        });
        var seed = new Option<int>("--seed") { Description = "random seed: the same seed (and anchor) gives the same book", DefaultValueFactory = _ => 42 };
        var anchor = new Option<DateTimeOffset?>("--anchor")
        {
            Description = "the book's \"now\" (revenue and activities lie in the 18 months before it); default: today 00:00 UTC",
        };
        var concurrency = new Option<int>("--concurrency") { Description = "rows written in parallel", DefaultValueFactory = _ => 16 };
        var noProgress = new Option<bool>("--no-progress") { Description = "no progress bars" };
        var command = new Command("demo", "Generate and load a realistic key-account book (hierarchy, contacts, deals, activities, 18 months of revenue)")
        {
            accounts, seed, anchor, concurrency, noProgress,
        };
        command.SetAction((parse, cancel) => GlobalOptions.RunAsync(host, parse, async context =>
        {
            var now = parse.GetValue(anchor) ?? new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero);
            var data = DemoDataGenerator.Generate(new DemoDataOptions(parse.GetValue(accounts), parse.GetValue(seed), now));
            host.Err.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"demo book (seed {parse.GetValue(seed)}, anchor {now:u}): {data.Accounts.Count:N0} accounts, {data.Contacts.Count:N0} contacts, {data.Opportunities.Count:N0} opportunities, {data.Activities.Count:N0} activities, {data.Revenue.Count:N0} revenue events"));
            var options = new ImportOptions(Concurrency: Math.Max(1, parse.GetValue(concurrency)), BatchSize: 5000, Progress: !parse.GetValue(noProgress));
            var summaries = new List<ImportSummary>();
            using var noRejectsFile = new RejectsFile(null);
            foreach (var (kind, items) in new (ImportKind, IEnumerable<IMessage>)[]
            {
                (ImportKind.Accounts, data.Accounts), (ImportKind.Contacts, data.Contacts), (ImportKind.Opportunities, data.Opportunities),
                (ImportKind.Activities, data.Activities), (ImportKind.Revenue, data.Revenue),
            })
            {
                var source = new MemoryRecordSource("demo", items.ToList());
                summaries.Add(await new Importer(host, context.Channel, options).RunAsync(kind, source, noRejectsFile, cancel));
            }
            ImportCommand.WriteSummaries(context, summaries);
            return summaries.All(s => s.AllGood) ? ExitCodes.Success
                : summaries.Any(s => s.Rows > s.Rejected) ? ExitCodes.PartialSuccess : ExitCodes.Failure;
        }));
        return command;
    }
}
