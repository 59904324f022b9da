using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Cycles;

namespace ProcessOptimizer.Workers;

/// <summary>
/// A window made from a strategy alone, for a worker's warm-up before any real window has been sent: every tag the
/// strategy reads at the middle of its variable's hard limits, over as many rows as a cycle reads (its longest lag and offset).
/// </summary>
/// <remarks>
/// Nothing promises that a strategy's models or constraints accept this point: a cycle on it may end infeasible or
/// in error, which still runs the code a warm-up is for, and is thrown away.
/// </remarks>
internal static class MidpointWindow
{
    // Timestamps a minute apart from a fixed origin: the worker's cycle reads their order, never the clock.
    private static readonly DateTimeOffset Origin = DateTimeOffset.UnixEpoch;

    public static ProcessWindow Of(CompiledStrategy compiled)
    {
        ArgumentNullException.ThrowIfNull(compiled);
        var definition = compiled.Definition;
        var rows = CycleExecutor.WindowRows(definition);
        var tags = compiled.RequiredTags;
        var values = new double[tags.Count][];
        var kinds = new CellKind[tags.Count][];
        for (var t = 0; t < tags.Count; t++)
        {
            var variable = definition.Variables[tags[t]];
            values[t] = [.. Enumerable.Repeat((variable.MinHardLimit + variable.MaxHardLimit) / 2, rows)];
            kinds[t] = new CellKind[rows];
        }

        var times = Enumerable.Range(0, rows).Select(r => (DateTimeOffset?)Origin.AddMinutes(r)).ToArray();
        return ProcessWindow.FromColumns(tags, times, values, kinds);
    }
}
