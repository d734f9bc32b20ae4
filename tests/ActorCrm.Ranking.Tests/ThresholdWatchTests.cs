using ActorCrm.Ranking;

namespace ActorCrm.Ranking.Tests;

public class ThresholdWatchTests
{
    private static Dictionary<string, double> Figures(double pareto, double hhi) => new() { ["pareto_share"] = pareto, ["hhi"] = hhi };

    [Fact]
    public void The_first_observation_crosses_nothing_even_beyond_a_threshold()
    {
        var watch = new ThresholdWatch([new("pareto_share", 0.8)]);
        Assert.Empty(watch.Observe(Figures(0.9, 0.1)));
    }

    [Fact]
    public void Crossing_up_and_back_down_reports_rising_then_falling_and_staying_reports_nothing()
    {
        var watch = new ThresholdWatch([new("pareto_share", 0.8), new("hhi", 0.25)]);
        watch.Observe(Figures(0.7, 0.1));

        var up = watch.Observe(Figures(0.8, 0.1)); // reaching the threshold counts as crossing it
        Assert.Equal([new ThresholdCrossing("pareto_share", 0.8, 0.8, Rising: true)], up);
        Assert.Empty(watch.Observe(Figures(0.85, 0.2)));

        var both = watch.Observe(Figures(0.79, 0.3));
        Assert.Equal(
            [new ThresholdCrossing("pareto_share", 0.79, 0.8, Rising: false), new ThresholdCrossing("hhi", 0.3, 0.25, Rising: true)],
            both);
    }

    [Fact]
    public void Two_thresholds_on_one_metric_fire_independently()
    {
        var watch = new ThresholdWatch([new("hhi", 0.1), new("hhi", 0.25)]);
        watch.Observe(Figures(0.5, 0.05));
        var crossings = watch.Observe(Figures(0.5, 0.3));
        Assert.Equal([0.1, 0.25], crossings.Select(c => c.Threshold));
        Assert.All(crossings, c => Assert.True(c.Rising));
    }
}
