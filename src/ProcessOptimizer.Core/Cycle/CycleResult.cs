using ProcessOptimizer.Core.Optimization;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>The outcome of one cycle. On any status but success every recommendation equals the current value.</summary>
public sealed record CycleResult
{
    public required CycleStatus Status { get; init; }

    public DateTimeOffset? DataTimestamp { get; init; }

    public IReadOnlyList<VariableResult> Variables { get; init; } = [];

    /// <summary>The cost feature of the (last) OptimizationSkill, when there is one.</summary>
    public string? CostFeature { get; init; }

    public double? CostAtCurrent { get; init; }

    /// <summary>The cost at the published recommendation: at the current values when every value is held.</summary>
    public double? CostAtRecommended { get; init; }

    public IReadOnlyList<SolverReport> Solver { get; init; } = [];

    public ConstraintViolation? MostViolated { get; init; }

    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>For <see cref="CycleStatus.Error"/>: what failed, with context.</summary>
    public string? Error { get; init; }

    /// <summary>For <see cref="CycleStatus.Error"/>: the kind of failure (bad data, formula, model, configuration).</summary>
    public CycleFailure? ErrorType { get; init; }

    /// <summary>
    /// What the next cycle of the same strategy version may start from (<see cref="SolverSettings.Previous"/>);
    /// null when the cycle failed before solving.
    /// </summary>
    public CycleWarmStart? Next { get; init; }
}
