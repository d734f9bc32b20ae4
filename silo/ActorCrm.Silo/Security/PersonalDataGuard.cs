using ActorCrm.Grains;
using ActorCrm.Grains.Infrastructure;
using Grpc.Core;
using Proto = ActorCrm.Api.V1;

namespace ActorCrm.Silo.Security;

/// <summary>
/// The one place contacts' personal profiles pass on their way out and in: a caller without
/// ReadPersonal gets contacts with the profile left out (and personal_profile_withheld set); a
/// caller with it gets the profile only after the read is in the audit trail. Writing a profile
/// needs WritePersonal and is audited with the names of the fields written.
/// </summary>
public sealed class PersonalDataGuard(Auditor auditor, [FromKeyedServices(ProductClock.Key)] TimeProvider clock)
{
    private const string ProfileField = "personal_profile";

    /// <summary>The contact as this caller may see it; a profile read is audited before it is returned.</summary>
    public ValueTask<Proto.Contact> PresentAsync(ServerCallContext context, Proto.Contact contact)
    {
        var caller = context.Caller();
        if (!caller.Can(Permissions.ReadPersonal)) return ValueTask.FromResult(Withheld(contact));
        contact = UnlessExpired(contact);
        if (contact.PersonalProfile is null) return ValueTask.FromResult(contact);
        return AuditedAsync(context, contact);
    }

    private async ValueTask<Proto.Contact> AuditedAsync(ServerCallContext context, Proto.Contact contact)
    {
        await auditor.RecordAsync(context, AuditAction.PersonalDataRead, Auditor.ContactSubject(contact.ContactId),
            Auditor.SetFields(contact.PersonalProfile, ProfileField));
        return contact;
    }

    /// <summary>A page of contacts as this caller may see them; every profile read is audited (in one append per partition) before the page is returned.</summary>
    public async Task<IReadOnlyList<Proto.Contact>> PresentAsync(ServerCallContext context, IReadOnlyList<Proto.Contact> contacts)
    {
        var caller = context.Caller();
        if (!caller.Can(Permissions.ReadPersonal)) return contacts.Select(Withheld).ToList();
        contacts = contacts.Select(UnlessExpired).ToList();
        var reads = contacts.Where(c => c.PersonalProfile is not null)
            .Select(c => new AuditEntry(caller.Id, caller.Role.Name(), AuditAction.PersonalDataRead, Auditor.ContactSubject(c.ContactId),
                Auditor.SetFields(c.PersonalProfile, ProfileField), context.Method, ""))
            .ToList();
        await auditor.RecordAsync(reads);
        return contacts;
    }

    /// <summary>What a writer gets back: the contact it wrote, without the profile unless it may read personal data (no read is audited: the write is).</summary>
    public static Proto.Contact ForWriter(ServerCallContext context, Proto.Contact contact) =>
        context.Caller().Can(Permissions.ReadPersonal) ? contact : Withheld(contact);

    /// <summary>PERMISSION_DENIED (audited) when the written fields touch the personal profile and the caller may not write it.</summary>
    public async ValueTask RequireWriteAsync(ServerCallContext context, string contactId, IReadOnlyList<string> personalFields)
    {
        if (personalFields.Count == 0 || context.Caller().Can(Permissions.WritePersonal)) return;
        await auditor.RecordAsync(context, AuditAction.PermissionDenied, Auditor.ContactSubject(contactId), personalFields, "may not write personal data");
        throw AccessPolicy.Denied($"{context.Caller().Id} may not write personal data");
    }

    public Task RecordWriteAsync(ServerCallContext context, string contactId, IReadOnlyList<string> personalFields) =>
        personalFields.Count == 0
            ? Task.CompletedTask
            : auditor.RecordAsync(context, AuditAction.PersonalDataWritten, Auditor.ContactSubject(contactId), personalFields);

    /// <summary>
    /// The personal fields an update mask names: profile fields ("personal_profile" alone stands for
    /// the whole profile) and the profile's basis (changing its retention is a personal-data write too).
    /// </summary>
    public static List<string> PersonalPaths(IEnumerable<string> maskPaths, Proto.Contact patch) =>
        maskPaths.SelectMany(path => path == ProfileField
                ? Auditor.SetFields(patch.PersonalProfile, ProfileField).DefaultIfEmpty(ProfileField)
                : path.StartsWith(ProfileField + ".", StringComparison.Ordinal) || path.StartsWith(BasisField, StringComparison.Ordinal) ? [path] : [])
            .Distinct()
            .ToList();

    private const string BasisField = "personal_data_basis";

    public static List<string> PersonalFieldsOf(Proto.Contact contact) => Auditor.SetFields(contact.PersonalProfile, ProfileField);

    private static Proto.Contact Withheld(Proto.Contact contact)
    {
        var copy = contact.Clone(); // the rendered reply may be shared by the silo's read cache
        copy.PersonalProfile = null;
        copy.PersonalDataBasis = null;
        copy.PersonalProfileWithheld = true;
        return copy;
    }

    /// <summary>
    /// A profile past its retention time is never returned, even from a reply cached before that
    /// time (the grain shows it erased; the sweep erases it from storage).
    /// </summary>
    private Proto.Contact UnlessExpired(Proto.Contact contact)
    {
        if (contact.PersonalProfile is null || contact.PersonalDataBasis?.RetentionTime is not { } until
            || until.ToDateTimeOffset() > clock.GetUtcNow()) return contact;
        var copy = contact.Clone();
        copy.PersonalProfile = null;
        copy.PersonalDataBasis = null;
        return copy;
    }
}
