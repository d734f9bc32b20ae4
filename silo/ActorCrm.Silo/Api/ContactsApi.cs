using ActorCrm.Domain.Model;
using ActorCrm.Domain.Validation;
using ActorCrm.Grains;
using ActorCrm.Grains.Infrastructure;
using ActorCrm.Silo.Mapping;
using ActorCrm.Silo.Security;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Proto = ActorCrm.Api.V1;

namespace ActorCrm.Silo.Api;

/// <summary>
/// actorcrm.v1.ContactService. Every contact passes <see cref="PersonalDataGuard"/> on its way out
/// (profile withheld or audited) and on its way in (profile writes need the right and are audited).
/// </summary>
public sealed class ContactsApi(IGrainFactory grains, GrainReadCache<ContactView> readCache, AccessPolicy access, PersonalDataGuard personal, Auditor auditor)
    : Proto.ContactService.ContactServiceBase
{
    private static readonly IReadOnlySet<string> OutputOrKey = UpdateMasks.Fields(Proto.Contact.Descriptor,
        "contact_id", "account_id", "etag", "create_time", "update_time", "personal_profile_withheld", "personal_data_erase_time");

    public override async Task<Proto.Contact> CreateContact(Proto.CreateContactRequest request, ServerCallContext context)
    {
        var contact = Require.Present(request.Contact, "contact");
        Require.Id(contact.ContactId, "contact.contact_id");
        Require.Id(contact.AccountId, "contact.account_id");
        await access.RequireAccountAsync(context, contact.AccountId);
        var personalFields = PersonalDataGuard.PersonalFieldsOf(contact);
        await personal.RequireWriteAsync(context, contact.ContactId, personalFields);
        var created = ProtoMapper.ToProto(await grains.GetKeyed<IContactGrain>(contact.ContactId).CreateAsync(ProtoMapper.ToDomain(contact)));
        await personal.RecordWriteAsync(context, contact.ContactId, personalFields);
        return PersonalDataGuard.ForWriter(context, created);
    }

    /// <summary>From this silo's read cache when the contact's grain is active here (rendered once per version), else from the grain.</summary>
    public override Task<Proto.Contact> GetContact(Proto.GetContactRequest request, ServerCallContext context)
    {
        Require.Id(request.ContactId, "contact_id");
        var caller = context.Caller();
        if (caller.Scope.IsAll && !caller.Can(Permissions.ReadPersonal) && readCache.TryGet(request.ContactId, out var cached))
            return personal.PresentAsync(context, (Proto.Contact)(cached.Rendered ??= ProtoMapper.ToProto(cached.View))).AsTask();
        return GetCheckedAsync(request.ContactId, context);
    }

    private async Task<Proto.Contact> GetCheckedAsync(string contactId, ServerCallContext context)
    {
        Proto.Contact contact;
        if (readCache.TryGet(contactId, out var cached))
        {
            contact = (Proto.Contact)(cached.Rendered ??= ProtoMapper.ToProto(cached.View));
            await access.RequireAccountAsync(context, contact.AccountId);
        }
        else
        {
            contact = ProtoMapper.ToProto(await VisibleContactAsync(contactId, context));
        }
        return await personal.PresentAsync(context, contact);
    }

    /// <summary>
    /// The contact, after checking the caller may see its account. A contact that does not exist is
    /// NOT_FOUND for callers who see every account, and PERMISSION_DENIED for scoped ones (as for
    /// accounts: a denial must not tell them which ids exist elsewhere).
    /// </summary>
    private async Task<ContactView> VisibleContactAsync(string contactId, ServerCallContext context)
    {
        var grain = grains.GetKeyed<IContactGrain>(contactId);
        var caller = context.Caller();
        if (caller.Scope.IsAll) return await grain.GetAsync(); // NOT_FOUND if it does not exist; fills this silo's read cache
        var view = await grain.TryGetAsync();
        if (view is null)
        {
            await access.DenyAsync(caller, context.Method, Auditor.ContactSubject(contactId), $"contact {contactId} is outside what {caller.Id} may see");
        }
        await access.RequireAccountAsync(context, view!.Contact.AccountId);
        return view;
    }

    public override async Task<Proto.Contact> UpdateContact(Proto.UpdateContactRequest request, ServerCallContext context)
    {
        var patch = Require.Present(request.Contact, "contact");
        Require.Id(patch.ContactId, "contact.contact_id");
        var etag = Require.Etag(patch.Etag, "contact.etag");
        var grain = grains.GetKeyed<IContactGrain>(patch.ContactId);
        var current = await VisibleContactAsync(patch.ContactId, context);
        var personalFields = PersonalDataGuard.PersonalPaths(request.UpdateMask?.Paths ?? [], patch);
        await personal.RequireWriteAsync(context, patch.ContactId, personalFields);
        var merged = UpdateMasks.Apply(ProtoMapper.ToProto(current), patch, request.UpdateMask, OutputOrKey);
        var updated = ProtoMapper.ToProto(await grain.UpdateAsync(ProtoMapper.ToDomain(merged), etag));
        await personal.RecordWriteAsync(context, patch.ContactId, personalFields);
        return PersonalDataGuard.ForWriter(context, updated);
    }

    public override async Task<Empty> DeleteContact(Proto.DeleteContactRequest request, ServerCallContext context)
    {
        Require.Id(request.ContactId, "contact_id");
        var grain = grains.GetKeyed<IContactGrain>(request.ContactId);
        await VisibleContactAsync(request.ContactId, context);
        await grain.DeleteAsync(request.Etag);
        await auditor.RecordAsync(context, AuditAction.PersonalDataErased, Auditor.ContactSubject(request.ContactId), ["personal_profile"], "contact deleted");
        return new Empty();
    }

    public override async Task<Proto.Contact> ErasePersonalData(Proto.ErasePersonalDataRequest request, ServerCallContext context)
    {
        Require.Id(request.ContactId, "contact_id");
        var grain = grains.GetKeyed<IContactGrain>(request.ContactId);
        await VisibleContactAsync(request.ContactId, context);
        var erased = ProtoMapper.ToProto(await grain.ErasePersonalDataAsync());
        await auditor.RecordAsync(context, AuditAction.PersonalDataErased, Auditor.ContactSubject(request.ContactId),
            ["display_name", "channels", "personal_profile", "personal_data_basis"], "erased on request");
        return PersonalDataGuard.ForWriter(context, erased);
    }

    public override async Task<Proto.ListContactsResponse> ListContacts(Proto.ListContactsRequest request, ServerCallContext context)
    {
        Require.Id(request.AccountId, "account_id");
        await access.RequireAccountAsync(context, request.AccountId);
        var pageSize = Paging.PageSize(request.PageSize);
        var after = Paging.Decode(request.PageToken);
        var ids = await grains.GetKeyed<IAccountGrain>(request.AccountId).ListContactIdsAsync(after, pageSize);
        var views = await Task.WhenAll(ids.Select(id => grains.GetKeyed<IContactGrain>(id).TryGetAsync()));
        var response = new Proto.ListContactsResponse { NextPageToken = ids.Count == pageSize ? Paging.Encode(ids[^1]) : "" };
        response.Contacts.AddRange(await personal.PresentAsync(context, views.OfType<ContactView>().Select(ProtoMapper.ToProto).ToList()));
        return response;
    }
}
