using System.Text;
using System.Text.RegularExpressions;
using ActorCrm.Domain.Errors;

namespace ActorCrm.Domain.Validation;

/// <summary>Collects every bad field of one request, so the caller learns all of them at once.</summary>
public sealed partial class Violations
{
    private readonly List<FieldViolation> _items = [];

    public IReadOnlyList<FieldViolation> Items => _items;

    public bool Any => _items.Count > 0;

    public void Add(string field, string description) => _items.Add(new FieldViolation(field, description));

    /// <summary>Throws INVALID_ARGUMENT listing every violation, if there is any.</summary>
    public void ThrowIfAny()
    {
        if (Any) throw CrmException.Invalid(_items);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[A-Z]{3}$", RegexOptions.CultureInvariant)]
    private static partial Regex CurrencyPattern();

    public static bool IsValidId(string value) => IdPattern().IsMatch(value);

    public void Id(string value, string field, bool required = true)
    {
        if (value.Length == 0)
        {
            if (required) Add(field, "is required");
            return;
        }
        if (!IsValidId(value))
            Add(field, "must match ^[a-z0-9][a-z0-9._-]{0,63}$ (lower-case letters, digits, '.', '_', '-'; at most 64)");
    }

    /// <summary>A one-line text: no control characters at all.</summary>
    public void Line(string value, string field, int maxLength = Limits.NameLength, bool required = false) =>
        CheckText(value, field, maxLength, required, allowLineBreaks: false);

    /// <summary>A multi-line text: line breaks and tabs allowed, other control characters not.</summary>
    public void Text(string value, string field, int maxLength = Limits.LongTextLength) =>
        CheckText(value, field, maxLength, required: false, allowLineBreaks: true);

    private void CheckText(string value, string field, int maxLength, bool required, bool allowLineBreaks)
    {
        if (value.Length == 0)
        {
            if (required) Add(field, "is required");
            return;
        }
        if (required && string.IsNullOrWhiteSpace(value))
        {
            Add(field, "must not be blank");
            return;
        }
        var length = 0;
        foreach (var rune in value.EnumerateRunes())
        {
            length++;
            if (Rune.IsControl(rune) && !(allowLineBreaks && rune.Value is '\n' or '\r' or '\t'))
            {
                Add(field, $"contains a control character (U+{rune.Value:X4})");
                return;
            }
        }
        if (length > maxLength) Add(field, $"is {length} characters long; at most {maxLength} are allowed");
    }

    /// <summary>A required enum: a defined value other than 0 (UNSPECIFIED).</summary>
    public void Required<TEnum>(TEnum value, string field) where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value)) Add(field, $"has an unknown value {Convert.ToInt64(value)}");
        else if (Convert.ToInt64(value) == 0) Add(field, "must be set (…_UNSPECIFIED is not accepted)");
    }

    /// <summary>An optional enum: 0 allowed, but never an unknown value.</summary>
    public void Optional<TEnum>(TEnum value, string field) where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value)) Add(field, $"has an unknown value {Convert.ToInt64(value)}");
    }

    public void Range(long value, long min, long max, string field)
    {
        if (value < min || value > max) Add(field, $"is {value}; must be between {min} and {max}");
    }

    public void Currency(string value, string field)
    {
        if (value.Length == 0) Add(field, "is required");
        else if (!CurrencyPattern().IsMatch(value)) Add(field, "must be an ISO 4217 code of three upper-case letters, e.g. CNY");
    }

    /// <summary>Checks a list's length; returns false when it is too long (its items are then not checked).</summary>
    public bool Count<T>(IReadOnlyCollection<T> items, int max, string field)
    {
        if (items.Count <= max) return true;
        Add(field, $"has {items.Count} items; at most {max} are allowed");
        return false;
    }

    public void Unique<T>(IEnumerable<T> keys, string field, string what)
    {
        var seen = new HashSet<T>();
        foreach (var key in keys)
            if (!seen.Add(key)) Add(field, $"lists {what} '{key}' twice");
    }

    public void Lines(IReadOnlyList<string> items, int maxItems, string field, int maxLength = Limits.NameLength)
    {
        if (!Count(items, maxItems, field)) return;
        for (var i = 0; i < items.Count; i++) Line(items[i], $"{field}[{i}]", maxLength, required: true);
    }
}
