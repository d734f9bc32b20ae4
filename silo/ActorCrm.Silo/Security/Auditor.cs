using ActorCrm.Grains;
using Google.Protobuf;
using Grpc.Core;

namespace ActorCrm.Silo.Security;

/// <summary>Writes audit entries for the API (who is the call's caller, which method is the call's) and waits until they are durable.</summary>
public sealed class Auditor(IGrainFactory grains)
{
    public Task RecordAsync(ServerCallContext context, AuditAction action, string subject, IReadOnlyList<string> fields, string detail = "") =>
        RecordAsync(context.Caller(), context.Method, action, subject, fields, detail);

    public Task RecordAsync(Caller caller, string method, AuditAction action, string subject, IReadOnlyList<string> fields, string detail = "") =>
        AuditTrail.RecordAsync(grains, [new AuditEntry(caller.Id, caller.Role.Name(), action, subject, fields, method, detail)]);

    public Task RecordAsync(IReadOnlyList<AuditEntry> entries) => AuditTrail.RecordAsync(grains, entries);

    public static string AccountSubject(string accountId) => "accounts/" + accountId;

    public static string ContactSubject(string contactId) => "contacts/" + contactId;

    /// <summary>The paths of the fields set in a message (e.g. "personal_profile.hometown"), never their values.</summary>
    public static List<string> SetFields(IMessage? message, string prefix)
    {
        var fields = new List<string>();
        if (message is null) return fields;
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var value = field.Accessor.GetValue(message);
            var set = value switch
            {
                string text => text.Length > 0,
                System.Collections.IList list => list.Count > 0,
                IMessage => true,
                _ => value is not null && !value.Equals(Activator.CreateInstance(value.GetType())),
            };
            if (set) fields.Add($"{prefix}.{field.Name}");
        }
        return fields;
    }
}
