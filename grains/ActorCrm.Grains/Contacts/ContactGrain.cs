using ActorCrm.Domain.Errors;
using ActorCrm.Domain.Insights;
using ActorCrm.Domain.Model;
using ActorCrm.Domain.Validation;
using ActorCrm.Grains.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActorCrm.Grains.Contacts;

/// <summary>The contact's state. Contact = null means never created or deleted (the personal data is gone; the version stays).</summary>
[GenerateSerializer, Alias("actorcrm.state.Contact")]
public sealed record ContactState
{
    [Id(0)] public Contact? Contact { get; init; }
    [Id(1)] public long Version { get; init; }
    [Id(2)] public DateTimeOffset CreatedAt { get; init; }
    [Id(3)] public DateTimeOffset UpdatedAt { get; init; }
    [Id(4)] public DateTimeOffset? PersonalDataErasedAt { get; init; }
    /// <summary>When a person last edited or confirmed the personal profile; null while it is empty.</summary>
    [Id(5)] public DateTimeOffset? ProfileVerifiedAt { get; init; }
}

/// <summary>
/// One contact. It calls its account (to join the roster, check links, leave the roster); the
/// account only calls it back to erase it when the account is deleted.
/// </summary>
public sealed class ContactGrain(
    [PersistentState("contact", StorageNames.Crm)] IPersistentState<ContactState> state,
    [FromKeyedServices(ProductClock.Key)] TimeProvider clock,
    GrainReadCache<ContactView> readCache,
    ILogger<ContactGrain> logger) : Grain, IContactGrain
{
    private string Id => this.GetPrimaryKeyString();

    private Contact Current => state.State.Contact ?? throw CrmException.NotFound($"contact '{Id}' does not exist");

    /// <summary>
    /// The contact as callers see it. A profile past its retention time is never shown, even before
    /// the sweep has erased it from storage.
    /// </summary>
    private ContactView View(ContactState s)
    {
        var contact = s.Contact!;
        if (contact.ProfileExpired(clock.GetUtcNow())) contact = contact.WithoutProfile();
        return new ContactView(contact, s.Version, s.CreatedAt, s.UpdatedAt)
        {
            PersonalDataErasedAt = s.PersonalDataErasedAt, ProfileVerifiedAt = contact.PersonalProfile.IsEmpty ? null : s.ProfileVerifiedAt,
        };
    }

    private static ContactLinks LinksOf(Contact c) => new(c.OrgUnitId, c.ReportsToContactId);

    public async Task<ContactView> CreateAsync(Contact contact)
    {
        Validate(contact);
        if (state.State.Contact is not null) throw CrmException.AlreadyExists($"contact '{Id}' already exists");

        var account = GrainFactory.GetGrain<IAccountGrain>(contact.AccountId);
        await account.AttachContactAsync(Id, LinksOf(contact));
        await ScheduleRetentionAsync(contact);
        var now = clock.GetUtcNow();
        var next = new ContactState
        {
            Contact = contact, Version = state.State.Version + 1, CreatedAt = now, UpdatedAt = now,
            ProfileVerifiedAt = contact.PersonalProfile.IsEmpty ? null : now,
        };
        try
        {
            await WriteAsync(next);
        }
        catch
        {
            await account.DetachContactAsync(Id);
            throw;
        }
        logger.LogInformation("Contact {ContactId} created on account {AccountId}", Id, contact.AccountId);
        await account.ContactChangedAsync(Id, IntelOf(View(next)));
        return View(next);
    }

    public Task<ContactView> GetAsync()
    {
        _ = Current;
        var view = View(state.State);
        readCache.Fill(Id, view);
        return Task.FromResult(view);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        readCache.Invalidate(Id);
        return Task.CompletedTask;
    }

    /// <summary>Every write of the contact: once it is durable, this silo's cached view goes (before the change is acknowledged).</summary>
    private async Task WriteAsync(ContactState next)
    {
        await state.WriteAsync(next, this);
        readCache.Invalidate(Id);
    }

    public Task<ContactView?> TryGetAsync() =>
        Task.FromResult(state.State.Contact is null ? null : View(state.State));

    public async Task<ContactView> UpdateAsync(Contact contact, string expectedEtag)
    {
        var current = Current;
        if (!Etags.Matches(expectedEtag, state.State.Version))
            throw CrmException.StaleEtag("contact", expectedEtag, Etags.Format(state.State.Version));
        Validate(contact);
        if (contact.AccountId != current.AccountId)
            throw CrmException.Invalid("contact.account_id", "cannot change; delete the contact and create it on the other account");
        if (LinksOf(contact) != LinksOf(current))
            await GrainFactory.GetGrain<IAccountGrain>(contact.AccountId).CheckContactLinksAsync(Id, LinksOf(contact));
        await ScheduleRetentionAsync(contact);

        var now = clock.GetUtcNow();
        var next = state.State with
        {
            Contact = contact, Version = state.State.Version + 1, UpdatedAt = now,
            // An edit of the profile is a person verifying it; the profile re-sent unchanged is not.
            ProfileVerifiedAt = IntelSections.Same(current.PersonalProfile, contact.PersonalProfile) ? state.State.ProfileVerifiedAt : now,
        };
        await WriteAsync(next);
        await GrainFactory.GetGrain<IAccountGrain>(contact.AccountId).ContactChangedAsync(Id, IntelOf(View(next)));
        return View(next);
    }

    public async Task<ContactView> ConfirmProfileAsync(string accountId)
    {
        if (state.State.Contact?.AccountId != accountId) throw CrmException.NotFound($"account '{accountId}' has no contact '{Id}'");
        var now = clock.GetUtcNow();
        var next = state.State with { Version = state.State.Version + 1, ProfileVerifiedAt = now };
        await WriteAsync(next);
        await GrainFactory.GetGrain<IAccountGrain>(accountId).ContactChangedAsync(Id, IntelOf(View(next)));
        return View(next);
    }

    public async Task DeleteAsync(string expectedEtag)
    {
        var current = Current;
        if (expectedEtag.Length > 0 && !Etags.Matches(expectedEtag, state.State.Version))
            throw CrmException.StaleEtag("contact", expectedEtag, Etags.Format(state.State.Version));
        await EraseAsync();
        // One-way: the account may at this moment be deleting itself and erasing this contact;
        // waiting for it here could deadlock the two grains.
        await GrainFactory.GetGrain<IAccountGrain>(current.AccountId).DetachContactAsync(Id);
    }

    /// <summary>
    /// Before a profile is stored, its retention time is in the schedule (so a sweep finds it even if
    /// this write then fails: the sweep asks the contact, which erases only what is really due).
    /// </summary>
    private Task ScheduleRetentionAsync(Contact contact) =>
        contact.PersonalDataBasis is { } basis && !contact.PersonalProfile.IsEmpty
            ? RetentionSchedule.For(GrainFactory, Id).ScheduleAsync(Id, basis.RetainUntil)
            : Task.CompletedTask;

    public async Task<ContactView> ErasePersonalDataAsync()
    {
        var current = Current;
        if (state.State.PersonalDataErasedAt is not null && current.DisplayName == Contact.ErasedName && current.Channels.Count == 0
            && current.PersonalProfile.IsEmpty && current.PersonalDataBasis is null)
            return View(state.State); // erased before and nothing written since: nothing to do
        var erased = current.WithoutPersonalData();
        var next = state.State with
        {
            Contact = erased, Version = state.State.Version + 1, UpdatedAt = clock.GetUtcNow(), PersonalDataErasedAt = clock.GetUtcNow(), ProfileVerifiedAt = null,
        };
        await WriteAsync(next);
        logger.LogInformation("Contact {ContactId}: personal data erased on request", Id);
        await GrainFactory.GetGrain<IAccountGrain>(erased.AccountId).ContactChangedAsync(Id, IntelOf(View(next)));
        return View(next);
    }

    public async Task<DateTimeOffset?> EraseExpiredProfileAsync()
    {
        if (state.State.Contact is not { PersonalDataBasis: { } basis } contact || contact.PersonalProfile.IsEmpty) return null;
        var now = clock.GetUtcNow();
        if (!contact.ProfileExpired(now)) return basis.RetainUntil; // extended since it was scheduled
        var fields = KnownProfileFields(contact.PersonalProfile);
        var next = state.State with { Contact = contact.WithoutProfile(), Version = state.State.Version + 1, UpdatedAt = now, PersonalDataErasedAt = now, ProfileVerifiedAt = null };
        await WriteAsync(next);
        await AuditTrail.RecordAsync(GrainFactory,
            [new AuditEntry("system:retention", "system", AuditAction.PersonalDataErased, $"contacts/{Id}", fields, "retention", "retention time passed")]);
        logger.LogInformation("Contact {ContactId}: personal profile erased, its retention time passed", Id);
        await GrainFactory.GetGrain<IAccountGrain>(contact.AccountId).ContactChangedAsync(Id, IntelOf(View(next)));
        return null;
    }

    /// <summary>What the account needs of this contact for intel coverage: level, org chart, which profile items are known (never the values).</summary>
    private static ContactIntel IntelOf(ContactView view) =>
        new(view.Contact.ContactId, view.Contact.Level, view.Contact.OrgUnitId.Length > 0 || view.Contact.ReportsToContactId.Length > 0,
            KnownProfileFields(view.Contact.PersonalProfile).Select(f => f["personal_profile.".Length..]).Where(IntelCoverage.ProfileItems.Contains).ToList())
        {
            ProfileVerifiedAt = view.ProfileVerifiedAt,
        };

    /// <summary>Names of the profile fields that held something (for the audit: never the values).</summary>
    private static List<string> KnownProfileFields(PersonalProfile p)
    {
        var fields = new List<string>();
        void Add(bool set, string name) { if (set) fields.Add("personal_profile." + name); }
        Add(p.Family.Length > 0, "family");
        Add(p.Hometown.Length > 0, "hometown");
        Add(p.FavouriteBooks.Count > 0, "favourite_books");
        Add(p.University.Length > 0, "university");
        Add(p.LastVacation.Length > 0, "last_vacation");
        Add(p.NextVacationPlan.Length > 0, "next_vacation_plan");
        Add(p.Sports.Count > 0, "sports");
        Add(p.FavouriteRestaurants.Count > 0, "favourite_restaurants");
        Add(p.FavouriteFood.Count > 0, "favourite_food");
        Add(p.Notes.Length > 0, "notes");
        return fields;
    }

    public async Task EraseForAccountDeletionAsync(string accountId)
    {
        if (state.State.Contact?.AccountId == accountId) await EraseAsync();
    }

    /// <summary>Overwrites the stored contact with a tombstone: the personal data leaves storage.</summary>
    private async Task EraseAsync()
    {
        await WriteAsync(new ContactState { Version = state.State.Version + 1 });
        logger.LogInformation("Contact {ContactId} deleted and its personal data erased", Id);
    }

    private void Validate(Contact contact)
    {
        if (contact.ContactId != Id)
            throw CrmException.Invalid("contact.contact_id", $"'{contact.ContactId}' does not match the addressed contact '{Id}'");
        var violations = new Violations();
        ContactRules.Validate(contact, violations);
        if (contact.PersonalDataBasis is { } basis && basis.RetainUntil != default && basis.RetainUntil <= clock.GetUtcNow())
            violations.Add("contact.personal_data_basis.retention_time", "must be in the future");
        violations.ThrowIfAny();
    }
}
