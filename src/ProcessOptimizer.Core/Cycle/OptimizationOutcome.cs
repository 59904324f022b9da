using ProcessOptimizer.Core.Optimization;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>What one OptimizationSkill produced, for the result.</summary>
/// <param name="Outputs">The variables its steps compute; nothing writes to the array.</param>
/// <param name="AtCurrent">Their values at the operating point, in the order of <paramref name="Outputs"/>.</param>
/// <param name="Publishes">Whether its point meets the constraints and may be recommended; otherwise every value is held.</param>
/// <remarks>A value: the cycle's scratch holds it until the result is built, and nothing keeps it after.</remarks>
internal readonly record struct OptimizationOutcome(
    int[] Decisions,
    int CostVariable,
    int[] Outputs,
    double[] AtCurrent,
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
