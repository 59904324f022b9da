using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Runs;

namespace ProcessOptimizer.Cycles;

/// <summary>Turns cycle results into the stored record.</summary>
public static class RunRecords
{
    public static RunOutcome Outcome(CycleResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return StatusMap.Outcome(result.Status, result.ErrorType);
    }

    public static IReadOnlyList<Recommendation> Recommendations(CycleResult result) =>
        [.. result.Variables.Select(v => new Recommendation(v.Name, v.Current, v.Recommended, v.Delta, v.Units))];

    /// <summary>What the record says in words: the error, the most violated constraint, or the warnings.</summary>
    public static string? Message(CycleResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Error is { } error)
        {
            return error;
        }

        var parts = new List<string>();
        if (result.MostViolated is { } v)
        {
            parts.Add($"most violated: {v.Variable} = {v.Value:G6} outside [{v.OpMin:G6}, {v.OpMax:G6}] by {v.Amount:G4}");
        }

        parts.AddRange(result.Warnings);
        return parts.Count > 0 ? string.Join("; ", parts) : null;
    }
}
