using System.Globalization;

namespace Coordinator.Cli.Bench;

/// <summary>
/// One benchmark comparison: A and B measured alternately in one run (pair i is A_i and B_i);
/// per pair a statistic (A/B, or A-B for accuracies), its median and its spread (min..max), and
/// the goal the median is judged against. Every measured value is kept, for <c>--json</c>.
/// </summary>
public sealed record Comparison(
    string Id, string Description, string A, string B, string Unit, string Statistic,
    IReadOnlyList<double> ValuesA, IReadOnlyList<double> ValuesB, IReadOnlyList<double> PerPair,
    double MedianA, double MedianB, double Median, double Min, double Max, int Pairs, string Goal, bool Met, string? Note = null)
{
    /// <summary>A/B per pair; the goal is met when the median ratio satisfies it.</summary>
    public static Comparison Ratio(string id, string description, string a, string b, IReadOnlyList<double> valuesA,
        IReadOnlyList<double> valuesB, string unit, Goal goal, string? note = null) =>
        Of(id, description, a, b, valuesA, valuesB, unit, "A/B", (x, y) => x / y, goal, note);

    /// <summary>A-B per pair (e.g. accuracy points).</summary>
    public static Comparison Difference(string id, string description, string a, string b, IReadOnlyList<double> valuesA,
        IReadOnlyList<double> valuesB, string unit, Goal goal, string? note = null) =>
        Of(id, description, a, b, valuesA, valuesB, unit, "A-B", (x, y) => x - y, goal, note);

    private static Comparison Of(string id, string description, string a, string b, IReadOnlyList<double> valuesA,
        IReadOnlyList<double> valuesB, string unit, string statistic, Func<double, double, double> per, Goal goal, string? note)
    {
        if (valuesA.Count == 0 || valuesA.Count != valuesB.Count)
            throw new ArgumentException($"{id}: {valuesA.Count} values of A and {valuesB.Count} of B; pairs need one of each");
        var pairs = valuesA.Zip(valuesB, per).ToList();
        var sorted = pairs.Order().ToList();
        var median = MedianOf(sorted);
        return new Comparison(id, description, a, b, unit, statistic, valuesA, valuesB, pairs,
            MedianOf(valuesA.Order().ToList()), MedianOf(valuesB.Order().ToList()), median, sorted[0], sorted[^1], pairs.Count,
            goal.Text, goal.IsMet(median), note);
    }

    private static double MedianOf(IReadOnlyList<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

/// <summary>What a comparison's median must satisfy.</summary>
public sealed record Goal(string Text, Func<double, bool> IsMet)
{
    public static Goal AtMost(double limit, string? shown = null) => new($"<= {shown ?? Show(limit)}", v => v <= limit);

    public static Goal AtLeast(double limit) => new($">= {Show(limit)}", v => v >= limit);

    public static Goal Within(double limit) => new($"within ±{Show(limit)}", v => Math.Abs(v) <= limit);

    private static string Show(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}
