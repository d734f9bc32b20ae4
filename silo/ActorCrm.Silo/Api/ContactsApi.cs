using ActorCrm.Domain.Model;
using ActorCrm.Domain.Validation;
using ActorCrm.Grains;
using ActorCrm.Grains.Infrastructure;
using ActorCrm.Silo.Mapping;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Proto = ActorCrm.Api.V1;

namespace ActorCrm.Silo.Api;

/// <summary>actorcrm.v1.ContactService.</summary>
public sealed class ContactsApi(IGrainFactory grains, GrainReadCache<ContactView> readCache) : Proto.ContactService.ContactServiceBase
{
    private static readonly IReadOnlySet<string> OutputOrKey = UpdateMasks.Fields(Proto.Contact.Descriptor,
        "contact_id", "account_id", "etag", "create_time", "update_time");

    public override async Task<Proto.Contact> CreateContact(Proto.CreateContactRequest request, ServerCallContext context)
    {
        var contact = Require.Present(request.Contact, "contact");
        Require.Id(contact.ContactId, "contact.contact_id");
        Require.Id(contact.AccountId, "contact.account_id");
        return ProtoMapper.ToProto(await grains.GetKeyed<IContactGrain>(contact.ContactId).CreateAsync(ProtoMapper.ToDomain(contact)));
    }

    /// <summary>From this silo's read cache when the contact's grain is active here (rendered once per version), else from the grain.</summary>
    public override Task<Proto.Contact> GetContact(Proto.GetContactRequest request, ServerCallContext context)
    {
        Require.Id(request.ContactId, "contact_id");
        if (readCache.TryGet(request.ContactId, out var cached))
            return Task.FromResult((Proto.Contact)(cached.Rendered ??= ProtoMapper.ToProto(cached.View)));
        return GetFromGrainAsync(request.ContactId);
    }

    private async Task<Proto.Contact> GetFromGrainAsync(string contactId) =>
        ProtoMapper.ToProto(await grains.GetKeyed<IContactGrain>(contactId).GetAsync());

    public override async Task<Proto.Contact> UpdateContact(Proto.UpdateContactRequest request, ServerCallContext context)
    {
        var patch = Require.Present(request.Contact, "contact");
        Require.Id(patch.ContactId, "contact.contact_id");
        var etag = Require.Etag(patch.Etag, "contact.etag");
        var grain = grains.GetKeyed<IContactGrain>(patch.ContactId);
        var current = await grain.GetAsync();
        var merged = UpdateMasks.Apply(ProtoMapper.ToProto(current), patch, request.UpdateMask, OutputOrKey);
        return ProtoMapper.ToProto(await grain.UpdateAsync(ProtoMapper.ToDomain(merged), etag));
    }

    public override async Task<Empty> DeleteContact(Proto.DeleteContactRequest request, ServerCallContext context)
    {
        Require.Id(request.ContactId, "contact_id");
        await grains.GetKeyed<IContactGrain>(request.ContactId).DeleteAsync(request.Etag);
        return new Empty();
    }

    public override async Task<Proto.ListContactsResponse> ListContacts(Proto.ListContactsRequest request, ServerCallContext context)
    {
        Require.Id(request.AccountId, "account_id");
        var pageSize = Paging.PageSize(request.PageSize);
        var after = Paging.Decode(request.PageToken);
        var ids = await grains.GetKeyed<IAccountGrain>(request.AccountId).ListContactIdsAsync(after, pageSize);
        var views = await Task.WhenAll(ids.Select(id => grains.GetKeyed<IContactGrain>(id).TryGetAsync()));
        var response = new Proto.ListContactsResponse { NextPageToken = ids.Count == pageSize ? Paging.Encode(ids[^1]) : "" };
        response.Contacts.AddRange(views.OfType<ContactView>().Select(ProtoMapper.ToProto));
        return response;
    }
}
