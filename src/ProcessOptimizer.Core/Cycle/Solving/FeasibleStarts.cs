namespace ProcessOptimizer.Core.Cycle.Solving;

/// <summary>Deterministic starting points for a search for a feasible point: the start, the centre of the move windows, then their corners.</summary>
internal static class FeasibleStarts
{
    // With three decisions every corner is tried; with more, the first eight in binary order.
    public const int MaxCorners = 8;

    public static IEnumerable<double[]> Of(double[] start, double[] lower, double[] upper)
    {
        yield return start;
        if (lower.Concat(upper).Any(b => !double.IsFinite(b)))
        {
            yield break;
        }

        yield return [.. lower.Zip(upper, (l, u) => (l + u) / 2)];
        var corners = Math.Min(MaxCorners, 1L << Math.Min(lower.Length, 30));
        for (var mask = 0L; mask < corners; mask++)
        {
            var corner = mask;
            yield return [.. lower.Select((l, i) => ((corner >> i) & 1) == 1 ? upper[i] : l)];
        }
    }
}
