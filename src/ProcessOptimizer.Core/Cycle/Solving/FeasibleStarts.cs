namespace ProcessOptimizer.Core.Cycle.Solving;

/// <summary>
/// Deterministic starting points for a search for a feasible point: the start, the centre of the move windows,
/// then corners of the windows: all of them up to two decisions, beyond that four spread ones (every variable
/// low, every one high, and the two alternations), so that the count stays at six whatever the size.
/// </summary>
internal static class FeasibleStarts
{
    public static IEnumerable<double[]> Of(double[] start, double[] lower, double[] upper)
    {
        yield return start;
        if (lower.Concat(upper).Any(b => !double.IsFinite(b)))
        {
            yield break;
        }

        yield return [.. lower.Zip(upper, (l, u) => (l + u) / 2)];
        Func<int, bool>[] corners = lower.Length <= 2
            ? [.. Enumerable.Range(0, 1 << lower.Length).Select(mask => (Func<int, bool>)(i => ((mask >> i) & 1) == 1))]
            : [_ => false, _ => true, i => i % 2 == 1, i => i % 2 == 0];
        foreach (var high in corners)
        {
            yield return [.. lower.Select((l, i) => high(i) ? upper[i] : l)];
        }
    }
}
