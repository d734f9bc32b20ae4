using System.Text;
using ActorCrm.Domain.Errors;

namespace ActorCrm.Domain.Validation;

/// <summary>
/// Page sizes and opaque page tokens. A token is the last key returned (keyset paging), so a
/// resource that exists for the whole paging is returned exactly once, whatever else changes.
/// </summary>
public static class Paging
{
    private const string Prefix = "v1|";

    public static int PageSize(int requested, string field = "page_size")
    {
        if (requested == 0) return Limits.DefaultPageSize;
        if (requested < 0 || requested > Limits.MaxPageSize)
            throw CrmException.Invalid(field, $"is {requested}; must be between 1 and {Limits.MaxPageSize} (0 means {Limits.DefaultPageSize})");
        return requested;
    }

    public static string Encode(string lastKey) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(Prefix + lastKey)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Returns the key after which the page starts; empty for the first page.</summary>
    public static string Decode(string token, string field = "page_token")
    {
        if (token.Length == 0) return "";
        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(base64));
            if (text.StartsWith(Prefix, StringComparison.Ordinal) && text.Length > Prefix.Length) return text[Prefix.Length..];
        }
        catch (FormatException)
        {
        }
        throw CrmException.Invalid(field, "is not a token returned by this API");
    }
}
