namespace ProcessOptimizer.Core.Cycle;

/// <summary>The process data of one cycle: history rows, oldest first; the last row is "now".</summary>
public sealed record CycleInput(IReadOnlyList<ProcessRow> Rows)
{
    public ProcessRow Newest => Rows.Count > 0 ? Rows[^1] : throw new CycleException(CycleFailure.BadData, "the input holds no data rows");

    /// <summary>A single row without a time, as the API's one-row form sends it.</summary>
    public static CycleInput FromSingleRow(IReadOnlyDictionary<string, double?> values) => new([new ProcessRow(null, values)]);
}
