namespace ProcessOptimizer.Core.Cycle;

/// <summary>What a data window holds beyond its newest row, as the result's warnings report it.</summary>
internal static class WindowValues
{
    /// <summary>One warning per required tag with null, NaN or infinite values in older rows: they are left out of smoothing, so the operator must hear of them.</summary>
    /// <remarks>Adds to <paramref name="warnings"/> and nothing else: a window without such values costs no allocation.</remarks>
    public static void AddNonFiniteWarnings(CompiledStrategy strategy, CycleInput input, CycleWarnings warnings)
    {
        var window = input.Window;
        var older = window.Count - 1;
        var tags = strategy.RequiredTags;
        for (var i = 0; i < tags.Count; i++)
        {
            var tag = tags[i];
            var t = window.TagIndex(tag);
            var (bad, first) = (0, -1);
            for (var r = 0; r < older; r++)
            {
                if (t < 0 || !double.IsFinite(window.Column(t)[r]))
                {
                    bad++;
                    first = first < 0 ? r : first;
                }
            }

            if (bad > 0)
            {
                var value = (t < 0 ? null : window.Value(first, t)) is { } f ? f.ToString(System.Globalization.CultureInfo.InvariantCulture) : "null";
                var at = window.Timestamp(first) is { } time ? $" at {time:O}" : "";
                warnings.Add($"'{tag}' is null, NaN or infinite in {bad} of {window.Count} rows of the window (first: {value}{at}); those rows are left out of its smoothing");
            }
        }
    }
}
