namespace ActorCrm.Ranking;

/// <summary>
/// A list of hypothetical changes for <see cref="ConcentrationIndex.WhatIf"/>: removals, absolute
/// totals and relative adjustments, applied in the order given (later changes to the same account
/// see the earlier ones). Building a scenario touches no index.
/// </summary>
public sealed class WhatIfScenario
{
    private readonly List<Change> _changes = [];

    private enum Kind
    {
        Remove,
        SetTotal,
        Adjust,
    }

    /// <summary>Number of changes recorded.</summary>
    public int Count => _changes.Count;

    /// <summary>As if the account were not tracked at all (e.g. "without our largest customer").</summary>
    public WhatIfScenario Remove(string accountId) => Add(accountId, Kind.Remove, 0);

    /// <summary>As if the account's total were <paramref name="totalMinor"/> (tracks it if unknown).</summary>
    public WhatIfScenario SetTotal(string accountId, long totalMinor) => Add(accountId, Kind.SetTotal, totalMinor);

    /// <summary>As if <paramref name="deltaMinor"/> were added to the account's total (an unknown or
    /// removed account counts as 0). Overflowing a long throws <see cref="OverflowException"/> when evaluated.</summary>
    public WhatIfScenario Adjust(string accountId, long deltaMinor) => Add(accountId, Kind.Adjust, deltaMinor);

    /// <summary>
    /// The final state of every touched account, in first-touch order: a total, or null for "not tracked".
    /// </summary>
    internal IReadOnlyList<KeyValuePair<string, long?>> Resolve(Func<string, long?> currentTotal)
    {
        var order = new List<string>();
        var state = new Dictionary<string, long?>(StringComparer.Ordinal);
        foreach (Change change in _changes)
        {
            if (!state.TryGetValue(change.AccountId, out long? current))
            {
                current = currentTotal(change.AccountId);
                order.Add(change.AccountId);
            }

            state[change.AccountId] = change.Kind switch
            {
                Kind.Remove => null,
                Kind.SetTotal => change.Value,
                _ => checked((current ?? 0) + change.Value),
            };
        }

        return order.Select(id => new KeyValuePair<string, long?>(id, state[id])).ToList();
    }

    private WhatIfScenario Add(string accountId, Kind kind, long value)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        _changes.Add(new Change(accountId, kind, value));
        return this;
    }

    private readonly record struct Change(string AccountId, Kind Kind, long Value);
}
