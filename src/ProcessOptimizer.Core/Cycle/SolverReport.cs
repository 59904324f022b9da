namespace ProcessOptimizer.Core.Cycle;

/// <summary>What the solver did for one OptimizationSkill.</summary>
/// <param name="Objective">The cost at the published point, from the same evaluation as every published value.</param>
/// <param name="MaxConstraintViolation">The largest amount by which a constraint is outside its range at the published point.</param>
/// <param name="Hessian"><c>exact</c>, or <c>limited-memory</c> (L-BFGS) when a model is in the cost skill.</param>
/// <param name="ModelDerivatives">Per InferenceModel skill in the cost skill, <c>exact</c> or <c>finite-difference</c>.</param>
public sealed record SolverReport(
    string Skill,
    string Name,
    string Status,
    int Iterations,
    double Objective,
    double MaxConstraintViolation,
    double Seconds,
    double CallbackSeconds,
    string Hessian,
    IReadOnlyDictionary<string, string> ModelDerivatives,
    string? EvaluationError,
    double? DerivativeError = null)
{
    /// <summary>How many starting points a search for a feasible point tried (the start, the windows' centre and corners); 0 when none was needed.</summary>
    public int Starts { get; init; }

    /// <summary>How many smooth solves the optimization took: kink pieces, searches for a feasible point, restarts.</summary>
    public int Solves { get; init; }

    /// <summary>How many of <see cref="Solves"/> started from the same solve of the strategy loop's previous cycle (<see cref="ProcessOptimizer.Core.Optimization.SolverSettings.Previous"/>).</summary>
    public int WarmStarts { get; init; }
}
