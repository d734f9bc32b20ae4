using ActorCrm.Domain.Validation;

namespace ActorCrm.Grains.Infrastructure;

/// <summary>Configuration section "Activities".</summary>
public sealed class ActivityOptions
{
    public const string Section = "Activities";

    /// <summary>The activity taxonomy; empty means <see cref="ActivityRules.DefaultTypes"/>.</summary>
    public List<string> Types { get; set; } = [];

    public IReadOnlySet<string> EffectiveTypes() =>
        (Types.Count > 0 ? Types : ActivityRules.DefaultTypes).ToHashSet(StringComparer.Ordinal);
}
