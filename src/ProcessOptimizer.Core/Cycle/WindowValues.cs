namespace ProcessOptimizer.Core.Cycle;

/// <summary>What a data window holds beyond its newest row, as the result's warnings report it.</summary>
internal static class WindowValues
{
    /// <summary>One warning per required tag with null, NaN or infinite values in older rows: they are left out of smoothing, so the operator must hear of them.</summary>
    public static IEnumerable<string> NonFiniteWarnings(CompiledStrategy strategy, CycleInput input)
    {
        var older = input.Rows.Take(input.Rows.Count - 1).ToList();
        if (older.Count == 0)
        {
            yield break;
        }

        foreach (var tag in strategy.RequiredTags)
        {
            var bad = older.Where(r => r.Values.GetValueOrDefault(tag) is not { } x || !double.IsFinite(x)).ToList();
            if (bad.Count > 0)
            {
                var first = bad[0];
                var value = first.Values.GetValueOrDefault(tag) is { } f ? f.ToString(System.Globalization.CultureInfo.InvariantCulture) : "null";
                var at = first.Timestamp is { } t ? $" at {t:O}" : "";
                yield return $"'{tag}' is null, NaN or infinite in {bad.Count} of {input.Rows.Count} rows of the window (first: {value}{at}); those rows are left out of its smoothing";
            }
        }
    }
}
