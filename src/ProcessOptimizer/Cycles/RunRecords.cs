using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Cycles;

/// <summary>Turns cycle results into the stored record.</summary>
public static class RunRecords
{
    /// <summary>The record of a cycle that reached the solver, for the loop and the API alike; the caller sets when it finished.</summary>
    public static RunRecord Of(CycleResult result, string strategyName, DeployedStrategy deployed, DateTimeOffset? dataTimestamp, DateTimeOffset started)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(deployed);
        var solver = result.Solver.LastOrDefault();
        var record = new RunRecord
        {
            StrategyName = strategyName,
            StrategyVersion = deployed.Version,
            ModelVersions = deployed.ModelVersions,
            DataTimestamp = dataTimestamp,
            StartedAt = started,
            FinishedAt = started,
            Outcome = Outcome(result),
            SolverStatus = solver?.Status,
            Iterations = solver?.Iterations,
            Cost = result.CostAtRecommended,
            Recommendations = result.Status == CycleStatus.Error ? [] : Recommendations(result),
        };
        return record.Saying(MessageItems(result));
    }

    public static RunOutcome Outcome(CycleResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return StatusMap.Outcome(result.Status, result.ErrorType);
    }

    public static IReadOnlyList<Recommendation> Recommendations(CycleResult result) =>
        [.. result.Variables.Select(v => new Recommendation(v.Name, v.Current, v.Recommended, v.Delta, v.Units))];

    /// <summary>What the record says in words: the error, the most violated constraint, or the warnings, joined by "; ".</summary>
    public static string? Message(CycleResult result) => MessageItems(result) is { Count: > 0 } items ? string.Join("; ", items) : null;

    /// <summary>What the record says, item by item: the error; or the most violated constraint and each warning.</summary>
    public static IReadOnlyList<string> MessageItems(CycleResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Error is { } error)
        {
            return [error];
        }

        var parts = new List<string>();
        if (result.MostViolated is { } v)
        {
            parts.Add($"most violated: {v.Variable} = {v.Value:G6} outside [{v.OpMin:G6}, {v.OpMax:G6}] by {v.Amount:G4}");
        }

        parts.AddRange(result.Warnings);
        return parts;
    }
}
