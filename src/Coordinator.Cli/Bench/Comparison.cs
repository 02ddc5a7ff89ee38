namespace Coordinator.Cli.Bench;

/// <summary>
/// One benchmark comparison: A and B measured alternately in one run; the ratio A/B per pair,
/// its median and its spread (min..max), and the goal it is judged against.
/// </summary>
public sealed record Comparison(
    string Id, string Description, double MedianA, double MedianB, double MedianRatio, double MinRatio, double MaxRatio,
    int Pairs, string Goal, bool Met, string Unit)
{
    public static Comparison Of(string id, string description, IReadOnlyList<double> a, IReadOnlyList<double> b, string goal,
        bool lowerIsBetter, string unit)
    {
        var ratios = a.Zip(b, (x, y) => x / y).Order().ToList();
        var median = Median(ratios);
        var limit = double.Parse(goal.TrimStart('<', '>', '=', ' '), System.Globalization.CultureInfo.InvariantCulture);
        return new Comparison(id, description, Median(a.Order().ToList()), Median(b.Order().ToList()), median, ratios[0], ratios[^1],
            ratios.Count, goal, lowerIsBetter ? median <= limit : median >= limit, unit);
    }

    private static double Median(IReadOnlyList<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}
