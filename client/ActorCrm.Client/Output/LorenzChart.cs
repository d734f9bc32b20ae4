using System.Text;
using ActorCrm.Api.V1;

namespace ActorCrm.Client.Output;

/// <summary>
/// A small Lorenz curve in text: x = share of accounts (smallest first), y = share of revenue they
/// hold; '·' is the line of perfect equality, '█' the curve (the gap between them is the Gini).
/// </summary>
public static class LorenzChart
{
    public static string Render(IReadOnlyList<LorenzPoint> points, int height = 10)
    {
        var width = points.Count; // 21 columns, one per point
        var grid = new char[height + 1, width];
        for (var r = 0; r <= height; r++)
            for (var c = 0; c < width; c++) grid[r, c] = ' ';
        for (var c = 0; c < width; c++)
        {
            var x = points[c].PopulationShare;
            var equality = (int)Math.Round(x * height);
            grid[equality, c] = '·';
            var y = (int)Math.Round(points[c].RevenueShare * height);
            grid[y, c] = '█';
        }
        var text = new StringBuilder();
        for (var r = height; r >= 0; r--)
        {
            text.Append(r == height ? "100%│" : r == 0 ? "  0%│" : r == height / 2 ? " 50%│" : "    │");
            for (var c = 0; c < width; c++) text.Append(grid[r, c]).Append(' ');
            text.AppendLine();
        }
        text.Append("    └").Append(new string('─', width * 2)).AppendLine();
        text.Append("     0%").Append(new string(' ', width - 5)).Append("50%").Append(new string(' ', width - 6)).Append("100% of accounts");
        return text.ToString();
    }
}
