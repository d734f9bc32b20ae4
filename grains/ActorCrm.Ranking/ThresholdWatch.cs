namespace ActorCrm.Ranking;

/// <summary>A watched threshold on one named figure (e.g. "pareto_share" 0.8).</summary>
public readonly record struct Threshold(string Metric, double Value);

/// <summary>A threshold that the figure crossed between two observations.</summary>
public readonly record struct ThresholdCrossing(string Metric, double Value, double Threshold, bool Rising);

/// <summary>
/// Tells, for a sequence of observed figures, which thresholds each observation crossed since the
/// previous one: rising when the figure went from below the threshold to at or above it, falling
/// when it went from at or above it to below. The first observation crosses nothing.
/// </summary>
public sealed class ThresholdWatch(IReadOnlyList<Threshold> thresholds)
{
    private IReadOnlyDictionary<string, double>? _previous;

    public IReadOnlyList<ThresholdCrossing> Observe(IReadOnlyDictionary<string, double> figures)
    {
        var previous = _previous;
        _previous = figures;
        if (previous is null) return [];
        var crossings = new List<ThresholdCrossing>();
        foreach (var (metric, threshold) in thresholds)
        {
            if (!previous.TryGetValue(metric, out var before) || !figures.TryGetValue(metric, out var now)) continue;
            if (before < threshold && now >= threshold) crossings.Add(new ThresholdCrossing(metric, now, threshold, Rising: true));
            else if (before >= threshold && now < threshold) crossings.Add(new ThresholdCrossing(metric, now, threshold, Rising: false));
        }
        return crossings;
    }
}
