namespace ProcessOptimizer.Core.Cycle;

/// <summary>The process data of one cycle: history rows, oldest first; the last row is "now".</summary>
/// <remarks>Rows that are a <see cref="ProcessWindow"/> are read by column as they are; other rows are put into a window once.</remarks>
public sealed record CycleInput(IReadOnlyList<ProcessRow> Rows)
{
    private readonly IReadOnlyList<ProcessRow> _rows = Rows;
    private ProcessWindow? _window;

    public IReadOnlyList<ProcessRow> Rows
    {
        get => _rows;
        init => (_rows, _window) = (value, null);
    }

    /// <summary>The rows by column, as the cycle reads them: the rows themselves when they are a window.</summary>
    public ProcessWindow Window => _window ??= ProcessWindow.Of(_rows);

    public ProcessRow Newest => Rows.Count > 0 ? Rows[^1] : throw NoRows();

    internal static CycleException NoRows() => new(CycleFailure.BadData, "the input holds no data rows");

    /// <summary>A single row without a time, as the API's one-row form sends it.</summary>
    public static CycleInput FromSingleRow(IReadOnlyDictionary<string, double?> values) => new([new ProcessRow(null, values)]);
}
