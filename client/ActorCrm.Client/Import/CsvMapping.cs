using System.Globalization;
using System.Text;
using System.Text.Json;
using ActorCrm.Client.Output;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace ActorCrm.Client.Import;

/// <summary>
/// CSV cells ↔ protobuf fields. Each column is a top-level field of the message, named as in the
/// proto (snake_case). Scalars are plain text; enums take the proto name (STRATEGIC_TIER_NATIONAL_HQ)
/// or its short form (NATIONAL_HQ, national_hq); timestamps are RFC 3339; a Date may be yyyy-MM-dd;
/// message and repeated fields hold their proto JSON ({…} / […]); a repeated text field may also be
/// "a;b;c". An empty cell leaves the field unset. A row is turned into proto JSON and parsed by the
/// protobuf JSON parser, so CSV and JSON Lines accept exactly the same values.
/// </summary>
public sealed class CsvMapping
{
    private readonly MessageDescriptor _descriptor;
    private readonly FieldDescriptor?[] _columns;

    private CsvMapping(MessageDescriptor descriptor, FieldDescriptor?[] columns)
    {
        _descriptor = descriptor;
        _columns = columns;
    }

    public int ColumnCount => _columns.Length;

    /// <summary>Maps a header; unknown columns are an error (a typo would silently drop data), output-only columns are ignored.</summary>
    public static CsvMapping ForHeader(ImportKind kind, IReadOnlyList<string> header)
    {
        var descriptor = kind.Descriptor();
        var columns = new FieldDescriptor?[header.Count];
        var unknown = new List<string>();
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i].Trim();
            var field = descriptor.FindFieldByName(name);
            if (field is null) unknown.Add(name);
            else if (!Kinds.OutputOnly.Contains(name)) columns[i] = field;
        }
        if (unknown.Count > 0)
            throw new CliException(
                $"unknown column(s) {string.Join(", ", unknown.Select(u => $"'{u}'"))} for {kind.Name()}; the columns are: " +
                string.Join(", ", kind.Columns().Select(c => c.Name)), ExitCodes.Usage);
        return new CsvMapping(descriptor, columns);
    }

    /// <summary>The message of one row, or throws <see cref="FormatException"/> naming the bad column.</summary>
    public IMessage Parse(IReadOnlyList<string> cells)
    {
        if (cells.Count != _columns.Length)
            throw new FormatException($"expected {_columns.Length} fields, found {cells.Count}");
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            for (var i = 0; i < cells.Count; i++)
            {
                var field = _columns[i];
                var cell = cells[i];
                if (field is null || cell.Length == 0) continue;
                writer.WritePropertyName(field.Name);
                try
                {
                    WriteValue(writer, field, cell);
                }
                catch (Exception e) when (e is JsonException or FormatException or ArgumentException)
                {
                    throw new FormatException($"{field.Name}: {Reason(e)}");
                }
            }
            writer.WriteEndObject();
        }
        var json = Encoding.UTF8.GetString(buffer.WrittenSpan);
        try
        {
            return ProtoJson.Parser.Parse(json, _descriptor);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or FormatException)
        {
            throw new FormatException(e.Message);
        }
    }

    private static string Reason(Exception e) => e is JsonException ? "not valid JSON" : e.Message;

    private static void WriteValue(Utf8JsonWriter writer, FieldDescriptor field, string cell)
    {
        var trimmed = cell.Trim();
        if (field.IsRepeated)
        {
            if (trimmed.StartsWith('[')) { writer.WriteRawValue(trimmed); return; }
            if (field.FieldType is FieldType.Message)
                throw new FormatException("must be a JSON array, e.g. [{…}]");
            writer.WriteStartArray();
            foreach (var item in cell.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                WriteScalar(writer, field, item);
            writer.WriteEndArray();
            return;
        }
        if (field.FieldType is FieldType.Message)
        {
            if (trimmed.StartsWith('{')) writer.WriteRawValue(trimmed);
            else if (field.MessageType.FullName == "actorcrm.v1.Date" && DateOnly.TryParseExact(trimmed, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                writer.WriteStartObject();
                writer.WriteNumber("year", date.Year);
                writer.WriteNumber("month", date.Month);
                writer.WriteNumber("day", date.Day);
                writer.WriteEndObject();
            }
            else writer.WriteStringValue(trimmed); // well-known types: Timestamp "2026-11-20T10:00:00Z" …
            return;
        }
        WriteScalar(writer, field, field.FieldType is FieldType.String ? cell : trimmed);
    }

    private static void WriteScalar(Utf8JsonWriter writer, FieldDescriptor field, string value)
    {
        switch (field.FieldType)
        {
            case FieldType.String:
                writer.WriteStringValue(value);
                break;
            case FieldType.Bool:
                if (bool.TryParse(value, out var flag)) writer.WriteBooleanValue(flag);
                else if (value is "1" or "0") writer.WriteBooleanValue(value == "1");
                else throw new FormatException($"'{value}' is not true or false");
                break;
            case FieldType.Enum:
                writer.WriteStringValue(EnumName(field.EnumType, value));
                break;
            case FieldType.Bytes:
                writer.WriteStringValue(value);
                break;
            default: // numbers: proto JSON accepts them quoted; the parser checks range and form
                if (value.Length == 0 || !(char.IsAsciiDigit(value[0]) || value[0] is '-' or '+' or '.'))
                    throw new FormatException($"'{value}' is not a number");
                writer.WriteStringValue(value);
                break;
        }
    }

    /// <summary>STRATEGIC_TIER_NATIONAL_HQ, NATIONAL_HQ, national_hq or NationalHq → STRATEGIC_TIER_NATIONAL_HQ.</summary>
    public static string EnumName(EnumDescriptor type, string value)
    {
        if (type.FindValueByName(value) is { } exact) return exact.Name;
        var prefix = ProtoJson.EnumPrefix(type);
        var normalized = Normalize(value);
        foreach (var candidate in type.Values)
            if (Normalize(candidate.Name) == normalized || Normalize(candidate.Name[prefix.Length..]) == normalized)
                return candidate.Name;
        throw new FormatException($"'{value}' is not one of {string.Join(", ", type.Values.Skip(1).Select(v => v.Name[prefix.Length..]))}");
    }

    private static string Normalize(string name) => name.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToUpperInvariant();

    /// <summary>The cells of one message for export: the inverse of <see cref="Parse"/>.</summary>
    public static string[] Cells(ImportKind kind, IMessage message)
    {
        using var doc = JsonDocument.Parse(ProtoJson.Format(message));
        var columns = kind.Columns();
        var cells = new string[columns.Count];
        for (var i = 0; i < columns.Count; i++)
            cells[i] = !doc.RootElement.TryGetProperty(columns[i].Name, out var value) ? ""
                : value.ValueKind == JsonValueKind.String ? value.GetString()!
                : value.GetRawText();
        return cells;
    }
}
