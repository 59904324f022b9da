using ProcessOptimizer.Core.Optimization;

namespace ProcessOptimizer.Benchmarks;

/// <summary>A solver that notes the structural non-zeros of the last program it was given, then solves it.</summary>
internal sealed class StructureRecorder(INonlinearSolver inner) : INonlinearSolver
{
    public int Jacobian { get; private set; }

    public int Hessian { get; private set; }

    public string Name => inner.Name;

    public string? ValidateOption(string name, object value) => inner.ValidateOption(name, value);

    public Solution Solve(INonlinearProgram program, SolverSettings settings, SolutionStorage storage, CancellationToken cancellationToken)
    {
        (Jacobian, Hessian) = (program.JacobianStructure.Count, program.HessianStructure.Count);
        return inner.Solve(program, settings, storage, cancellationToken);
    }
}
