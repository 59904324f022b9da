namespace ProcessOptimizer.Core.Optimization;

/// <summary>Solves <see cref="INonlinearProgram"/>s. Implementations must be safe to call from many threads.</summary>
public interface INonlinearSolver
{
    /// <summary>Solver name for reports, such as "ipopt 3.11".</summary>
    string Name { get; }

    /// <summary>Solves from the program's start point.</summary>
    Solution Solve(INonlinearProgram program, SolverSettings settings, CancellationToken cancellationToken);

    /// <summary>Problems with a solver option name or value, empty when the option is valid.</summary>
    string? ValidateOption(string name, object value);
}
