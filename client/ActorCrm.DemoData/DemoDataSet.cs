using ActorCrm.Api.V1;

namespace ActorCrm.DemoData;

/// <summary>
/// A generated key-account book, ordered so that it can be loaded front to back: accounts (parents
/// before their children), then contacts (a contact's reports_to before the contact), then
/// opportunities (whose buying centres name those contacts), then activities, then revenue.
/// Output-only fields (etag, create_time, update_time, contact_count) are left unset.
/// </summary>
public sealed class DemoDataSet
{
    internal DemoDataSet(
        IReadOnlyList<Account> accounts,
        IReadOnlyList<Contact> contacts,
        IReadOnlyList<Opportunity> opportunities,
        IReadOnlyList<Activity> activities,
        IReadOnlyList<RevenueEvent> revenue)
    {
        Accounts = accounts;
        Contacts = contacts;
        Opportunities = opportunities;
        Activities = activities;
        Revenue = revenue;
    }

    /// <summary>The accounts; parents always before their children.</summary>
    public IReadOnlyList<Account> Accounts { get; }

    /// <summary>The contacts, grouped by account in account order; reports_to before the reporter.</summary>
    public IReadOnlyList<Contact> Contacts { get; }

    /// <summary>The opportunities, grouped by account in account order.</summary>
    public IReadOnlyList<Opportunity> Opportunities { get; }

    /// <summary>The activities, grouped by account in account order, oldest first within an account.</summary>
    public IReadOnlyList<Activity> Activities { get; }

    /// <summary>
    /// Revenue events (invoices "inv-2025-000123" and, for a few percent, credit notes "cn-2025-000007"
    /// with a negative amount) in CNY over the 18 months before the anchor, strictly before it, at
    /// Beijing office hours on working days. Heavy-tailed across accounts: about a fifth of the accounts
    /// with revenue hold roughly three quarters of it; about 10% of the accounts have none. Ordered by
    /// occurred_at, then account id, then event id, so a loader can stream them; event ids are unique
    /// within an account.
    /// </summary>
    public IReadOnlyList<RevenueEvent> Revenue { get; }
}
