using ProcessOptimizer.Core.Optimization;

namespace ProcessOptimizer.Core.Cycle.Solving;

/// <summary>Runs the solves of one optimization and adds up what they cost, for the solver report.</summary>
internal sealed class SolveLog(SolveContext context)
{
    public int Solves { get; private set; }

    public int Iterations { get; private set; }

    public double Seconds { get; private set; }

    public double CallbackSeconds { get; private set; }

    /// <summary>The largest derivative-test error over every solve, when checking.</summary>
    public double? DerivativeError { get; private set; }

    /// <summary>The last evaluation failure a solve reported.</summary>
    public string? EvaluationError { get; private set; }

    /// <summary>Every solve's status, in order.</summary>
    public List<Solution> Solutions { get; } = [];

    public Solution Solve(INonlinearProgram program, SolverSettings? settings = null)
    {
        var solution = context.Solver.Solve(program, settings ?? context.Settings, context.Cancellation);
        Solves++;
        Iterations += solution.Iterations;
        Seconds += solution.Seconds;
        CallbackSeconds += solution.CallbackSeconds;
        EvaluationError = solution.EvaluationError ?? EvaluationError;
        if (solution.DerivativeError is { } error)
        {
            DerivativeError = Math.Max(DerivativeError ?? 0, error);
        }

        Solutions.Add(solution);
        return solution;
    }
}
