namespace ProcessOptimizer.Core.Cycle;

/// <summary>The process data of one cycle: history rows, oldest first; the last row is "now".</summary>
/// <remarks>Rows that are a <see cref="ProcessWindow"/> are read by column as they are; other rows are put into a window once.</remarks>
public sealed record CycleInput(IReadOnlyList<ProcessRow> Rows)
{
    /// <summary>The rows by column, as the cycle reads them.</summary>
    public ProcessWindow Window { get; } = ProcessWindow.Of(Rows);

    public ProcessRow Newest => Rows.Count > 0 ? Rows[^1] : throw NoRows();

    internal static CycleException NoRows() => new(CycleFailure.BadData, "the input holds no data rows");

    /// <summary>A single row without a time, as the API's one-row form sends it.</summary>
    public static CycleInput FromSingleRow(IReadOnlyDictionary<string, double?> values) => new([new ProcessRow(null, values)]);
}
