using System.Globalization;

namespace ProcessOptimizer.Core.Cycle.Solving;

/// <summary>The warning for a held minute's closest point: where it is, and by how much it misses, or why it could not be measured.</summary>
internal static class ClosestPoint
{
    /// <param name="names">The decisions' names, in the order of the point's coordinates.</param>
    public static string Describe(string skill, IReadOnlyList<string> names, Evaluation closest)
    {
        var point = string.Join(", ", names.Select((name, i) => string.Create(CultureInfo.InvariantCulture, $"{name} = {closest.X[i]:G6}")));
        if (closest.Failure is { } failure)
        {
            // Every point the solves reached failed to evaluate: its excess is NaN, and the truth is why it failed.
            return $"skill '{skill}': every value is held; no point the solves reached could be evaluated, the last kept being {point}, where the steps fail: {failure.Message}";
        }

        if (!double.IsFinite(closest.Violation))
        {
            return string.Create(CultureInfo.InvariantCulture, $"skill '{skill}': every value is held; at the closest point found, {point}, a constraint value is not finite ({closest.Violation})")
                + (closest.MostViolated is { } nonFinite ? $": '{nonFinite.Variable}' = {nonFinite.Value}" : "");
        }

        return string.Create(CultureInfo.InvariantCulture, $"skill '{skill}': every value is held; the closest point found, {point}, misses the constraints by {closest.Violation:G4}")
            + (closest.MostViolated is { } v ? string.Create(CultureInfo.InvariantCulture, $" ({v.Variable} = {v.Value:G6})") : "");
    }
}
