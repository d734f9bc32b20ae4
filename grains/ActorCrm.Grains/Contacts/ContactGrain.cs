using ActorCrm.Domain.Errors;
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

    private static ContactView View(ContactState s) => new(s.Contact!, s.Version, s.CreatedAt, s.UpdatedAt);

    private static ContactLinks LinksOf(Contact c) => new(c.OrgUnitId, c.ReportsToContactId);

    public async Task<ContactView> CreateAsync(Contact contact)
    {
        Validate(contact);
        if (state.State.Contact is not null) throw CrmException.AlreadyExists($"contact '{Id}' already exists");

        var account = GrainFactory.GetGrain<IAccountGrain>(contact.AccountId);
        await account.AttachContactAsync(Id, LinksOf(contact));
        var now = clock.GetUtcNow();
        var next = new ContactState { Contact = contact, Version = state.State.Version + 1, CreatedAt = now, UpdatedAt = now };
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
        await account.ContactChangedAsync(Id);
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

        var next = state.State with { Contact = contact, Version = state.State.Version + 1, UpdatedAt = clock.GetUtcNow() };
        await WriteAsync(next);
        // One-way, so the account (the contact's summary is part of what its watchers see) never holds this contact up.
        await GrainFactory.GetGrain<IAccountGrain>(contact.AccountId).ContactChangedAsync(Id);
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
        violations.ThrowIfAny();
    }
}
