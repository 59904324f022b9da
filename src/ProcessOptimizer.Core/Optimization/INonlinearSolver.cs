namespace ProcessOptimizer.Core.Optimization;

/// <summary>Solves <see cref="INonlinearProgram"/>s. Implementations must be safe to call from many threads.</summary>
public interface INonlinearSolver
{
    /// <summary>Solver name for reports, such as "ipopt 3.11".</summary>
    string Name { get; }

    /// <summary>Solves from the program's start point, writing the point, constraint values and multipliers into <paramref name="storage"/>.</summary>
    /// <remarks>
    /// The returned <see cref="Solution"/> refers to <paramref name="storage"/>'s arrays; a storage that does not fit
    /// the program is an <see cref="ArgumentException"/>. Nothing else the solve allocates outlives it.
    /// </remarks>
    /// <exception cref="SolverUnavailableException">The solver cannot run on this machine (its library is missing).</exception>
    Solution Solve(INonlinearProgram program, SolverSettings settings, SolutionStorage storage, CancellationToken cancellationToken);

    /// <summary>Problems with a solver option name or value, empty when the option is valid.</summary>
    /// <exception cref="SolverUnavailableException">The solver cannot run on this machine, so it cannot check the option either.</exception>
    string? ValidateOption(string name, object value);
}
