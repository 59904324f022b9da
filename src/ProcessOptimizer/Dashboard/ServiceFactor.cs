using ProcessOptimizer.Core.Runs;

namespace ProcessOptimizer.Dashboard;

/// <summary>The share of a period's cycles that produced a usable recommendation (outcome <c>success</c>).</summary>
/// <param name="Share">Usable over total; null when the period holds no cycle.</param>
public sealed record ServiceFactor(double Hours, long Usable, long Total, double? Share)
{
    public static ServiceFactor Of(double hours, IReadOnlyDictionary<RunOutcome, long> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var total = outcomes.Values.Sum();
        var usable = outcomes.GetValueOrDefault(RunOutcome.Success);
        return new ServiceFactor(hours, usable, total, total > 0 ? (double)usable / total : null);
    }
}
