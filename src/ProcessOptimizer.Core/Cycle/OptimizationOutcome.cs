using ProcessOptimizer.Core.Optimization;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>What one OptimizationSkill produced, for the result.</summary>
/// <param name="Publishes">Whether its point meets the constraints and may be recommended; otherwise every value is held.</param>
internal sealed record OptimizationOutcome(
    int[] Decisions,
    int CostVariable,
    IReadOnlyDictionary<int, double> AtCurrent,
    double CostAtCurrent,
    double CostAtRecommended,
    SolveStatus Status,
    SolverReport Report,
    ConstraintViolation? MostViolated,
    bool Publishes)
{
    public bool IsSuccess => Status is SolveStatus.Succeeded or SolveStatus.AcceptableLevel;

    /// <summary>The solves with the cost, for the next cycle of the same version to start from.</summary>
    public IReadOnlyList<WarmSolve> WarmSolves { get; init; } = [];
}
