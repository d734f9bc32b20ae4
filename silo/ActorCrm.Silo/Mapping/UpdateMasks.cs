using ActorCrm.Domain.Errors;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace ActorCrm.Silo.Mapping;

/// <summary>
/// Applies an Update request's field mask: the named fields of the patch replace those of the
/// current resource (repeated and message fields whole; "a.b" names one field inside a message).
/// </summary>
public static class UpdateMasks
{
    private static readonly FieldMask.MergeOptions Replace = new()
    {
        ReplaceMessageFields = true,
        ReplaceRepeatedFields = true,
        ReplacePrimitiveFields = true,
    };

    public static T Apply<T>(T current, T patch, FieldMask? mask, IReadOnlySet<string> immutableFields) where T : IMessage<T>
    {
        if (mask is null || mask.Paths.Count == 0)
            throw CrmException.Invalid("update_mask", "is required: name the fields to change, e.g. \"display_name\"");
        var descriptor = current.Descriptor;
        foreach (var path in mask.Paths)
        {
            if (!FieldMask.IsValid(descriptor, path))
                throw CrmException.Invalid("update_mask", $"'{path}' is not a field of {descriptor.Name}");
            if (immutableFields.Contains(path.Split('.')[0]))
                throw CrmException.Invalid("update_mask", $"'{path}' cannot be changed");
        }
        var merged = current.Clone();
        mask.Merge(patch, merged, Replace);
        return merged;
    }

    /// <summary>
    /// A Get request's read mask (AIP-157): the named fields of <paramref name="full"/> in a new
    /// message; no mask, or an empty one, returns <paramref name="full"/> itself.
    /// </summary>
    public static T Select<T>(T full, FieldMask? mask) where T : IMessage<T>, new()
    {
        if (mask is null || mask.Paths.Count == 0) return full;
        var selected = new T();
        mask.Merge(full, selected);
        return selected;
    }

    /// <summary>INVALID_ARGUMENT (field read_mask) unless every path names a field of the message type.</summary>
    public static void CheckReadMask(MessageDescriptor descriptor, FieldMask? mask)
    {
        if (mask is null) return;
        foreach (var path in mask.Paths)
            if (!FieldMask.IsValid(descriptor, path))
                throw CrmException.Invalid("read_mask", $"'{path}' is not a field of {descriptor.Name}");
    }

    /// <summary>Ensures the message type has these fields, so a renamed proto field fails at startup, not in production.</summary>
    public static IReadOnlySet<string> Fields(MessageDescriptor descriptor, params string[] names)
    {
        foreach (var name in names)
            if (descriptor.FindFieldByName(name) is null) throw new InvalidOperationException($"{descriptor.Name} has no field {name}");
        return names.ToHashSet(StringComparer.Ordinal);
    }
}
