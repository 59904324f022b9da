using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Runs;

namespace ProcessOptimizer.Cycles;

/// <summary>A cycle's data window and the data guards' verdict: <see cref="Skip"/> is the outcome to record instead of solving, or null.</summary>
public sealed record CycleWindow(IReadOnlyList<ProcessRow> Rows, RunOutcome? Skip, string? Message)
{
    /// <summary>The newest row's time, when there is a row.</summary>
    public DateTimeOffset? DataTimestamp { get; } = Rows is ProcessWindow window ? (window.Count > 0 ? window.Timestamp(window.Count - 1) : null) : Rows.Count > 0 ? Rows[^1].Timestamp : null;

    /// <summary>Gives a window rented from its data source back: nothing may read <see cref="Rows"/> after.</summary>
    public void Release() => (Rows as ProcessWindow)?.Dispose();
}
