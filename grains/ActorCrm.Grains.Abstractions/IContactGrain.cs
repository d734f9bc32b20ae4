using ActorCrm.Domain.Model;
using Orleans.Concurrency;

namespace ActorCrm.Grains;

/// <summary>One contact (key = contact_id), including the personal profile.</summary>
[Alias("actorcrm.IContactGrain")]
public interface IContactGrain : IGrainWithStringKey
{
    [Alias("Create")] Task<ContactView> CreateAsync(Contact contact);

    [ReadOnly, Alias("Get")] Task<ContactView> GetAsync();

    /// <summary>The contact, or null when it does not exist (for listing a roster).</summary>
    [ReadOnly, Alias("TryGet")] Task<ContactView?> TryGetAsync();

    [Alias("Update")] Task<ContactView> UpdateAsync(Contact contact, string expectedEtag);

    /// <summary>Deletes the contact, erases its personal data and takes it off its account's roster.</summary>
    [Alias("Delete")] Task DeleteAsync(string expectedEtag);

    /// <summary>Records that a person confirmed the personal profile as still true (NOT_FOUND unless the contact is on <paramref name="accountId"/>).</summary>
    [Alias("ConfirmProfile")] Task<ContactView> ConfirmProfileAsync(string accountId);

    /// <summary>Erases the personal data (name, channels, profile and its basis) on request; the contact stays. Idempotent.</summary>
    [Alias("ErasePersonalData")] Task<ContactView> ErasePersonalDataAsync();

    /// <summary>
    /// Erases the profile if its retention time has passed (audited as the retention sweep); returns
    /// the retention time still pending (the profile is kept until then), or null when nothing is left to erase.
    /// </summary>
    [Alias("EraseExpiredProfile")] Task<DateTimeOffset?> EraseExpiredProfileAsync();

    /// <summary>Erases the contact because its account is being deleted (does not call the account back).</summary>
    [Alias("EraseForAccount")] Task EraseForAccountDeletionAsync(string accountId);
}
