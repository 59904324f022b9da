using ProcessOptimizer.Core.Optimization;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>What one OptimizationSkill produced, for the result.</summary>
internal sealed record OptimizationOutcome(
    int[] Decisions,
    int CostVariable,
    IReadOnlyDictionary<int, double> AtCurrent,
    double CostAtCurrent,
    double CostAtRecommended,
    SolveStatus Status,
    SolverReport Report,
    ConstraintViolation? MostViolated)
{
    public bool IsSuccess => Status is SolveStatus.Succeeded or SolveStatus.AcceptableLevel;
}
