using System.Runtime.CompilerServices;
using ActorCrm.Api.V1;
using ActorCrm.Client.Import;
using ActorCrm.Client.Output;
using CsvHelper;
using Google.Protobuf;
using Grpc.Net.Client;

namespace ActorCrm.Client.Export;

/// <summary>
/// Writes resources in the import formats (CSV with the same columns, or JSON Lines), output-only
/// fields left out, so an export imports back unchanged. Accounts in id order; contacts,
/// opportunities, activities and revenue events (those still inside the window) account by account.
/// </summary>
public static class Exporter
{
    public static async Task<long> ExportAsync(GrpcChannel channel, ImportKind kind, TextWriter target, FileFormat format, CancellationToken cancel)
    {
        long count = 0;
        if (format == FileFormat.Csv)
        {
            await using var csv = CsvWriter.Create(target, new CsvWriterOptions(), true);
            await csv.WriteRecordAsync(kind.Columns().Select(c => c.Name).ToArray(), cancel);
            await foreach (var message in ReadAsync(channel, kind, cancel))
            {
                await csv.WriteRecordAsync(CsvMapping.Cells(kind, message), cancel);
                count++;
            }
            await csv.FlushAsync(cancel);
        }
        else
        {
            await foreach (var message in ReadAsync(channel, kind, cancel))
            {
                await target.WriteLineAsync(ProtoJson.Format(message));
                count++;
            }
        }
        await target.FlushAsync(cancel);
        return count;
    }

    private static async IAsyncEnumerable<IMessage> ReadAsync(GrpcChannel channel, ImportKind kind, [EnumeratorCancellation] CancellationToken cancel)
    {
        var accounts = new AccountService.AccountServiceClient(channel);
        var contacts = new ContactService.ContactServiceClient(channel);
        var opportunities = new OpportunityService.OpportunityServiceClient(channel);
        var revenue = new RevenueService.RevenueServiceClient(channel);
        await foreach (var account in Pagers.AccountsAsync(accounts, new ListAccountsRequest { View = AccountListView.Full }, cancel))
        {
            switch (kind)
            {
                case ImportKind.Accounts:
                    yield return Kinds.WithoutOutputOnly(account);
                    break;
                case ImportKind.Contacts:
                    await foreach (var contact in Pagers.ContactsAsync(contacts, account.AccountId, cancel)) yield return Kinds.WithoutOutputOnly(contact);
                    break;
                case ImportKind.Opportunities:
                    await foreach (var opportunity in Pagers.OpportunitiesAsync(opportunities, account.AccountId, cancel)) yield return Kinds.WithoutOutputOnly(opportunity);
                    break;
                case ImportKind.Activities:
                    await foreach (var activity in Pagers.ActivitiesAsync(opportunities, account.AccountId, cancel)) yield return activity;
                    break;
                case ImportKind.Revenue:
                    await foreach (var e in Pagers.RevenueEventsAsync(revenue, account.AccountId, cancel)) yield return e;
                    break;
            }
        }
    }
}
