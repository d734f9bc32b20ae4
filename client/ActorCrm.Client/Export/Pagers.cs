using System.Runtime.CompilerServices;
using ActorCrm.Api.V1;

namespace ActorCrm.Client.Export;

/// <summary>Every page of the List calls as one stream (keyset paging: each resource exactly once).</summary>
public static class Pagers
{
    public const int PageSize = 1000;

    public static IAsyncEnumerable<Account> AccountsAsync(
        AccountService.AccountServiceClient client, ListAccountsRequest? filter = null, CancellationToken cancel = default)
    {
        var request = filter?.Clone() ?? new ListAccountsRequest();
        request.PageSize = PageSize;
        return AllAsync(async (token, ct) =>
        {
            request.PageToken = token;
            var page = await client.ListAccountsAsync(request, cancellationToken: ct);
            return (page.Accounts, page.NextPageToken);
        }, cancel);
    }

    public static IAsyncEnumerable<Contact> ContactsAsync(
        ContactService.ContactServiceClient client, string accountId, CancellationToken cancel = default) =>
        AllAsync(async (token, ct) =>
        {
            var page = await client.ListContactsAsync(new ListContactsRequest { AccountId = accountId, PageSize = PageSize, PageToken = token }, cancellationToken: ct);
            return (page.Contacts, page.NextPageToken);
        }, cancel);

    public static IAsyncEnumerable<Opportunity> OpportunitiesAsync(
        OpportunityService.OpportunityServiceClient client, string accountId, CancellationToken cancel = default) =>
        AllAsync(async (token, ct) =>
        {
            var page = await client.ListOpportunitiesAsync(new ListOpportunitiesRequest { AccountId = accountId, PageSize = PageSize, PageToken = token }, cancellationToken: ct);
            return (page.Opportunities, page.NextPageToken);
        }, cancel);

    public static IAsyncEnumerable<Activity> ActivitiesAsync(
        OpportunityService.OpportunityServiceClient client, string accountId, CancellationToken cancel = default) =>
        AllAsync(async (token, ct) =>
        {
            var page = await client.ListActivitiesAsync(new ListActivitiesRequest { AccountId = accountId, PageSize = PageSize, PageToken = token }, cancellationToken: ct);
            return (page.Activities, page.NextPageToken);
        }, cancel);

    public static IAsyncEnumerable<RevenueEvent> RevenueEventsAsync(
        RevenueService.RevenueServiceClient client, string accountId, CancellationToken cancel = default) =>
        AllAsync(async (token, ct) =>
        {
            var page = await client.ListRevenueEventsAsync(new ListRevenueEventsRequest { AccountId = accountId, PageSize = PageSize, PageToken = token }, cancellationToken: ct);
            return (page.Events, page.NextPageToken);
        }, cancel);

    /// <summary>Fetches pages from the empty token until a page comes back without a next token.</summary>
    private static async IAsyncEnumerable<T> AllAsync<T>(
        Func<string, CancellationToken, Task<(Google.Protobuf.Collections.RepeatedField<T> Items, string Next)>> fetch,
        [EnumeratorCancellation] CancellationToken cancel)
    {
        var token = "";
        do
        {
            var (items, next) = await fetch(token, cancel);
            foreach (var item in items) yield return item;
            token = next;
        } while (token.Length > 0);
    }
}
