using ActorCrm.Api.V1;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace ActorCrm.Client.Import;

/// <summary>What a file holds; the CLI's name is the lower-case plural (`import accounts FILE`).</summary>
public enum ImportKind { Accounts, Contacts, Opportunities, Activities, Revenue }

/// <summary>The message type of each kind and the fields a file never carries (output-only).</summary>
public static class Kinds
{
    public static MessageDescriptor Descriptor(this ImportKind kind) => kind switch
    {
        ImportKind.Accounts => Account.Descriptor,
        ImportKind.Contacts => Contact.Descriptor,
        ImportKind.Opportunities => Opportunity.Descriptor,
        ImportKind.Activities => Activity.Descriptor,
        ImportKind.Revenue => RevenueEvent.Descriptor,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static string Name(this ImportKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>Output-only fields (at any depth: sections carry their last_verified_time): ignored on import, not written on export.</summary>
    public static readonly IReadOnlySet<string> OutputOnly = new HashSet<string>(StringComparer.Ordinal)
    {
        "etag", "create_time", "update_time", "contact_count", "personal_profile_withheld", "personal_data_erase_time", "insights", "rank", "abc_class", "coverage",
        "last_verified_time", "installed_base_last_verified_time",
    };

    /// <summary>The columns of a CSV file of this kind, in the proto's declaration order.</summary>
    public static IReadOnlyList<FieldDescriptor> Columns(this ImportKind kind) =>
        kind.Descriptor().Fields.InDeclarationOrder().Where(f => !OutputOnly.Contains(f.Name)).ToList();

    /// <summary>A copy without the output-only fields.</summary>
    public static IMessage WithoutOutputOnly(IMessage message)
    {
        var copy = message.Descriptor.Parser.ParseFrom(message.ToByteString());
        ClearOutputOnly(copy);
        return copy;
    }

    private static void ClearOutputOnly(IMessage message)
    {
        foreach (var field in message.Descriptor.Fields.InDeclarationOrder())
        {
            if (OutputOnly.Contains(field.Name)) field.Accessor.Clear(message);
            else if (field.FieldType != FieldType.Message || field.IsMap) continue;
            else if (field.IsRepeated) foreach (IMessage item in (System.Collections.IList)field.Accessor.GetValue(message)) ClearOutputOnly(item);
            else if (field.Accessor.GetValue(message) is IMessage nested) ClearOutputOnly(nested);
        }
    }
}
