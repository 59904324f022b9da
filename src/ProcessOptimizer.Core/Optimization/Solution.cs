namespace ProcessOptimizer.Core.Optimization;

/// <summary>The outcome of a solve. A solver that does not converge returns this with a status; it does not throw.</summary>
/// <remarks>
/// A value, not an object, so that a solve allocates nothing for it: <see cref="X"/>, <see cref="Constraints"/> and
/// <see cref="Multipliers"/> are the <see cref="SolutionStorage"/> the caller solved into.
/// </remarks>
/// <param name="SolverStatus">The solver's own status name, for example <c>Solve_Succeeded</c>.</param>
/// <param name="CallbackSeconds">Time spent in our evaluation callbacks, a part of <paramref name="Seconds"/>.</param>
/// <param name="EvaluationError">The last evaluation failure, when the solver saw one.</param>
public readonly record struct Solution(
    SolveStatus Status,
    string SolverStatus,
    double[] X,
    double Objective,
    double[] Constraints,
    int Iterations,
    double Seconds,
    double CallbackSeconds,
    string? EvaluationError)
{
    /// <summary>With <see cref="SolverSettings.CheckDerivatives"/>: the largest relative error the derivative test found.</summary>
    public double? DerivativeError { get; init; }

    /// <summary>The multipliers at <see cref="X"/>, to start a later solve of a similar problem from (<see cref="SolverSettings.WarmStart"/>).</summary>
    public Multipliers? Multipliers { get; init; }

    /// <summary>Whether the point may be published as a recommendation.</summary>
    public bool IsSuccess => Status is SolveStatus.Succeeded or SolveStatus.AcceptableLevel;
}
