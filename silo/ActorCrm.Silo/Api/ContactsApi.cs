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
        "contact_id", "account_id", "etag", "create_time", "update_time", "personal_profile_withheld");

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
        var contact = readCache.TryGet(contactId, out var cached)
            ? (Proto.Contact)(cached.Rendered ??= ProtoMapper.ToProto(cached.View))
            : ProtoMapper.ToProto(await grains.GetKeyed<IContactGrain>(contactId).GetAsync());
        await access.RequireAccountAsync(context, contact.AccountId);
        return await personal.PresentAsync(context, contact);
    }

    public override async Task<Proto.Contact> UpdateContact(Proto.UpdateContactRequest request, ServerCallContext context)
    {
        var patch = Require.Present(request.Contact, "contact");
        Require.Id(patch.ContactId, "contact.contact_id");
        var etag = Require.Etag(patch.Etag, "contact.etag");
        var grain = grains.GetKeyed<IContactGrain>(patch.ContactId);
        var current = await grain.GetAsync();
        await access.RequireAccountAsync(context, current.Contact.AccountId);
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
        var current = await grain.GetAsync(); // NOT_FOUND for a contact that does not exist
        await access.RequireAccountAsync(context, current.Contact.AccountId);
        await grain.DeleteAsync(request.Etag);
        await auditor.RecordAsync(context, AuditAction.PersonalDataErased, Auditor.ContactSubject(request.ContactId), ["personal_profile"], "contact deleted");
        return new Empty();
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
