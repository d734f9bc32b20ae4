using ActorCrm.Domain.Errors;
using ActorCrm.Domain.Validation;

namespace ActorCrm.Silo.Api;

/// <summary>Checks on request fields that must hold before any grain is addressed.</summary>
internal static class Require
{
    public static string Id(string value, string field)
    {
        if (Violations.IsValidId(value)) return value;
        var violations = new Violations();
        violations.Id(value, field);
        violations.ThrowIfAny();
        return value;
    }

    public static string OptionalId(string value, string field)
    {
        var violations = new Violations();
        violations.Id(value, field, required: false);
        violations.ThrowIfAny();
        return value;
    }

    public static T Present<T>(T? message, string field) where T : class =>
        message ?? throw CrmException.Invalid(field, "is required");

    public static string Etag(string value, string field) =>
        value.Length > 0 ? value : throw CrmException.Invalid(field, "is required: send the etag of the version you read");
}
