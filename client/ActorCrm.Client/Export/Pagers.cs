using System.Runtime.CompilerServices;
using ActorCrm.Api.V1;

namespace ActorCrm.Client.Export;

/// <summary>Every page of the List calls as one stream (keyset paging: each resource exactly once).</summary>
public static class Pagers
{
    public const int PageSize = 1000;

    public static async IAsyncEnumerable<Account> AccountsAsync(
        AccountService.AccountServiceClient client, ListAccountsRequest? filter = null, [EnumeratorCancellation] CancellationToken cancel = default)
    {
        var request = filter?.Clone() ?? new ListAccountsRequest();
        request.PageSize = PageSize;
        do
        {
            var page = await client.ListAccountsAsync(request, cancellationToken: cancel);
            foreach (var account in page.Accounts) yield return account;
            request.PageToken = page.NextPageToken;
        } while (request.PageToken.Length > 0);
    }

    public static async IAsyncEnumerable<Contact> ContactsAsync(
        ContactService.ContactServiceClient client, string accountId, [EnumeratorCancellation] CancellationToken cancel = default)
    {
        var request = new ListContactsRequest { AccountId = accountId, PageSize = PageSize };
        do
        {
            var page = await client.ListContactsAsync(request, cancellationToken: cancel);
            foreach (var contact in page.Contacts) yield return contact;
            request.PageToken = page.NextPageToken;
        } while (request.PageToken.Length > 0);
    }

    public static async IAsyncEnumerable<Opportunity> OpportunitiesAsync(
        OpportunityService.OpportunityServiceClient client, string accountId, [EnumeratorCancellation] CancellationToken cancel = default)
    {
        var request = new ListOpportunitiesRequest { AccountId = accountId, PageSize = PageSize };
        do
        {
            var page = await client.ListOpportunitiesAsync(request, cancellationToken: cancel);
            foreach (var opportunity in page.Opportunities) yield return opportunity;
            request.PageToken = page.NextPageToken;
        } while (request.PageToken.Length > 0);
    }

    public static async IAsyncEnumerable<Activity> ActivitiesAsync(
        OpportunityService.OpportunityServiceClient client, string accountId, [EnumeratorCancellation] CancellationToken cancel = default)
    {
        var request = new ListActivitiesRequest { AccountId = accountId, PageSize = PageSize };
        do
        {
            var page = await client.ListActivitiesAsync(request, cancellationToken: cancel);
            foreach (var activity in page.Activities) yield return activity;
            request.PageToken = page.NextPageToken;
        } while (request.PageToken.Length > 0);
    }

    public static async IAsyncEnumerable<RevenueEvent> RevenueEventsAsync(
        RevenueService.RevenueServiceClient client, string accountId, [EnumeratorCancellation] CancellationToken cancel = default)
    {
        var request = new ListRevenueEventsRequest { AccountId = accountId, PageSize = PageSize };
        do
        {
            var page = await client.ListRevenueEventsAsync(request, cancellationToken: cancel);
            foreach (var e in page.Events) yield return e;
            request.PageToken = page.NextPageToken;
        } while (request.PageToken.Length > 0);
    }
}
