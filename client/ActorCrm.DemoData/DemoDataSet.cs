using ActorCrm.Api.V1;

namespace ActorCrm.DemoData;

/// <summary>
/// A generated key-account book, ordered so that it can be loaded front to back: accounts (parents
/// before their children), then contacts (a contact's reports_to before the contact), then
/// opportunities (whose buying centres name those contacts), then activities.
/// Output-only fields (etag, create_time, update_time, contact_count) are left unset.
/// </summary>
public sealed class DemoDataSet
{
    internal DemoDataSet(
        IReadOnlyList<Account> accounts,
        IReadOnlyList<Contact> contacts,
        IReadOnlyList<Opportunity> opportunities,
        IReadOnlyList<Activity> activities)
    {
        Accounts = accounts;
        Contacts = contacts;
        Opportunities = opportunities;
        Activities = activities;
    }

    /// <summary>The accounts; parents always before their children.</summary>
    public IReadOnlyList<Account> Accounts { get; }

    /// <summary>The contacts, grouped by account in account order; reports_to before the reporter.</summary>
    public IReadOnlyList<Contact> Contacts { get; }

    /// <summary>The opportunities, grouped by account in account order.</summary>
    public IReadOnlyList<Opportunity> Opportunities { get; }

    /// <summary>The activities, grouped by account in account order, oldest first within an account.</summary>
    public IReadOnlyList<Activity> Activities { get; }
}
