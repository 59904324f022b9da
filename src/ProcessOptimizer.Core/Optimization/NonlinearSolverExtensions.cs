namespace ProcessOptimizer.Core.Optimization;

/// <summary>Solves into storage of its own, for callers that keep one solution and do not reuse storage.</summary>
public static class NonlinearSolverExtensions
{
    /// <summary>Solves from the program's start point into a new <see cref="SolutionStorage"/>.</summary>
    public static Solution Solve(this INonlinearSolver solver, INonlinearProgram program, SolverSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(solver);
        ArgumentNullException.ThrowIfNull(program);
        return solver.Solve(program, settings, SolutionStorage.For(program.Shape), cancellationToken);
    }
}
