using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace ActorCrm.Client.Output;

/// <summary>Protobuf JSON with the proto's snake_case field names, the one JSON dialect of the CLI.</summary>
public static class ProtoJson
{
    public static readonly JsonFormatter Formatter =
        new(JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true).WithFormatDefaultValues(false));

    public static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(false));

    public static string Format(IMessage message) => Formatter.Format(message);

    /// <summary>With zeros and empty lists written out: for figures, where 0 is an answer, not an absence.</summary>
    public static string FormatWithDefaults(IMessage message) =>
        new JsonFormatter(JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true).WithFormatDefaultValues(true)).Format(message);

    /// <summary>Writes a JSON object whose members are already-formatted JSON values (e.g. {"before": …, "after": …}).</summary>
    public static string Object(params (string Name, string Json)[] members)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            foreach (var (name, json) in members)
            {
                writer.WritePropertyName(name);
                writer.WriteRawValue(json);
            }
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The message's top-level fields as (name, display text) pairs: scalars as text, the rest as compact JSON.</summary>
    public static IEnumerable<(string Name, string Value)> Fields(IMessage message)
    {
        using var doc = JsonDocument.Parse(Format(message));
        foreach (var field in message.Descriptor.Fields.InDeclarationOrder())
        {
            if (!doc.RootElement.TryGetProperty(field.Name, out var value)) continue;
            yield return (field.Name, value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText());
        }
    }

    /// <summary>The short name of a generated enum value: StrategicTier.NationalHq → NATIONAL_HQ (its proto name without the type prefix).</summary>
    public static string Short<T>(T value) where T : struct, Enum
    {
        static string Original(Enum v) =>
            v.GetType().GetField(v.ToString())?.GetCustomAttributes(typeof(OriginalNameAttribute), false).OfType<OriginalNameAttribute>().FirstOrDefault()?.Name ?? v.ToString();
        var name = Original(value);
        var unspecified = Original(default(T));
        var prefix = unspecified.EndsWith("UNSPECIFIED", StringComparison.Ordinal) ? unspecified[..^"UNSPECIFIED".Length] : "";
        return name.StartsWith(prefix, StringComparison.Ordinal) ? name[prefix.Length..] : name;
    }

    /// <summary>STRATEGIC_TIER_ for StrategicTier (the prefix every value name of the enum has).</summary>
    public static string EnumPrefix(EnumDescriptor descriptor)
    {
        var first = descriptor.Values[0].Name; // X_UNSPECIFIED
        return first.EndsWith("UNSPECIFIED", StringComparison.Ordinal) ? first[..^"UNSPECIFIED".Length] : "";
    }
}
