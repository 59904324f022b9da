namespace ProcessOptimizer.Core.Cycle;

/// <summary>What the solver did for one OptimizationSkill.</summary>
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
    double? DerivativeError = null);
