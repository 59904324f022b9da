using ProcessOptimizer.Core.Cycle;

namespace ProcessOptimizer.Results;

/// <summary>Maps a <see cref="CycleResult"/> to the seed's response shape.</summary>
public static class ResponseMapper
{
    // A move of at most this is reported as "no change", as the original service counted it; it is below any setpoint resolution.
    private const double ChangeTolerance = 1e-6;

    public static string StatusText(CycleStatus status) => status switch
    {
        CycleStatus.Success => "success",
        CycleStatus.Infeasible => "infeasible",
        CycleStatus.SolverFailed => "solver_failed",
        CycleStatus.NotConverged => "not_converged",
        _ => "error",
    };

    public static object Map(CycleResult result, DateTimeOffset now, string? strategyVersion)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Status == CycleStatus.Error)
        {
            return new ErrorResponse("error", now, result.Error ?? "unknown error", ErrorType(result.ErrorType), result.Warnings);
        }

        var variables = result.Variables.ToDictionary(
            v => v.Name,
            v => new VariableEntry(v.Category, v.Current, v.Recommended, v.Delta, v.Units, v.Type.ToString()));
        Dictionary<string, VariableEntry> Subset(string category) =>
            variables.Where(p => p.Value.Category == category).ToDictionary(p => p.Key, p => p.Value);
        var optimized = Subset("optimizable");
        var costValue = result.CostAtRecommended;
        var summary = new Summary(
            variables.Count,
            variables.Values.Count(v => Math.Abs(v.Delta) > ChangeTolerance),
            optimized.Values.Count(v => Math.Abs(v.Delta) > ChangeTolerance),
            variables.Values.Count(v => v.Category == "predicted"),
            result.Solver.Count == 0 ? 0 : variables.Values.Count(v => v.Category == "constraint"),
            result.CostAtCurrent - costValue);
        return new OptimizeResponse(
            StatusText(result.Status),
            now,
            result.DataTimestamp,
            strategyVersion,
            variables,
            optimized,
            Subset("predicted"),
            Subset("constraint"),
            result.CostFeature,
            costValue,
            summary,
            result.Solver,
            result.MostViolated is { } m ? new ViolationEntry(m.Variable, m.Value, m.OpMin, m.OpMax, m.Amount) : null,
            result.Warnings);
    }

    private static string ErrorType(CycleFailure? failure) => failure switch
    {
        CycleFailure.BadData => "bad_data",
        CycleFailure.Formula => "formula_error",
        CycleFailure.Model => "model_error",
        CycleFailure.Configuration => "configuration_error",
        CycleFailure.Solver => "solver_error",
        _ => "error",
    };
}
