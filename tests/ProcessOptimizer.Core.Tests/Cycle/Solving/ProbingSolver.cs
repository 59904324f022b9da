using ProcessOptimizer.Core.Optimization;

namespace ProcessOptimizer.Core.Tests.Cycle.Solving;

/// <summary>
/// A solver that solves nothing: it evaluates every method of each program at a few fixed points inside the bounds,
/// keeps every value it got (in order), and answers with the last point as converged. Pure managed evaluation, so
/// many can run at once on one strategy (IPOPT cannot), and the values tell whether they disturbed each other.
/// </summary>
/// <remarks>One instance per thread: what it records is its own.</remarks>
internal sealed class ProbingSolver : INonlinearSolver
{
    private static readonly double[] Fractions = [0, 0.25, 0.6, 0.9];

    /// <summary>Every value every program gave, in the order asked.</summary>
    public List<double> Values { get; } = [];

    /// <summary>Bytes this thread allocated inside the programs' methods, over every solve.</summary>
    public long EvaluationBytes { get; private set; }

    public string Name => "probe";

    public string? ValidateOption(string name, object value) => null;

    public Solution Solve(INonlinearProgram program, SolverSettings settings, SolutionStorage storage, CancellationToken cancellationToken)
    {
        var shape = program.Shape;
        var (n, m) = (shape.VariableCount, shape.ConstraintCount);
        var (x, gradient, constraints) = (new double[n], new double[n], new double[m]);
        var (jacobian, hessian) = (new double[program.JacobianStructure.Count], new double[program.HessianStructure.Count]);
        var multipliers = Enumerable.Range(0, m).Select(j => 0.5 - (0.1 * (j % 7))).ToArray();
        foreach (var fraction in Fractions)
        {
            for (var i = 0; i < n; i++)
            {
                var (lower, upper) = (shape.LowerBounds[i], shape.UpperBounds[i]);
                x[i] = double.IsFinite(upper) && double.IsFinite(lower) ? shape.Start[i] + (fraction * (upper - shape.Start[i])) : shape.Start[i] + fraction;
            }

            var before = GC.GetAllocatedBytesForCurrentThread();
            var objective = program.Objective(x);
            program.ObjectiveGradient(x, gradient);
            program.Constraints(x, constraints);
            program.ConstraintJacobian(x, jacobian);
            if (program.HasExactHessian)
            {
                program.LagrangianHessian(x, 0.75, multipliers, hessian);
            }

            EvaluationBytes += GC.GetAllocatedBytesForCurrentThread() - before;
            Values.Add(objective);
            Values.AddRange(gradient);
            Values.AddRange(constraints);
            Values.AddRange(jacobian);
            Values.AddRange(hessian);
        }

        x.CopyTo(storage.X, 0);
        constraints.CopyTo(storage.Constraints, 0);
        return new Solution(SolveStatus.Succeeded, "Probed", storage.X, Values[^1], storage.Constraints, Fractions.Length, 0, 0, null);
    }
}
