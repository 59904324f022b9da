namespace ProcessOptimizer.Results;

/// <summary>What the solver did for one OptimizationSkill.</summary>
public sealed record SolverEntry(
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
    double? DerivativeCheckMaxRelativeError);
