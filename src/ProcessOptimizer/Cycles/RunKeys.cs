using System.Globalization;
using ProcessOptimizer.Core.Runs;

namespace ProcessOptimizer.Cycles;

/// <summary>
/// The unique keys of loop runs. A cycle is keyed by (strategy, scheduled slot), so another firing of the same
/// slot (a retried or recovered job) is recognised; a cycle that consumed data also carries (strategy, data
/// timestamp), so no two runs of a strategy consume the same row, whichever replica or slot made them.
/// </summary>
public static class RunKeys
{
    /// <summary><paramref name="run"/> with both keys.</summary>
    /// <param name="slot">The cluster's scheduled time of the cycle; null for the single-node loop or a cycle run by hand, which nothing else repeats.</param>
    public static RunRecord Loop(RunRecord run, DateTimeOffset? slot)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run with
        {
            Key = slot is { } at ? $"{run.StrategyName}|slot|{Instant(at)}" : Guid.NewGuid().ToString("n"),
            DataKey = run.DataTimestamp is { } data && RunOutcomes.ConsumedData.Contains(run.Outcome) ? $"{run.StrategyName}|data|{Instant(data)}" : null,
        };
    }

    private static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);
}
