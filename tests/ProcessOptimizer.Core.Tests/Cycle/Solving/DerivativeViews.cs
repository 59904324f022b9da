using ProcessOptimizer.Core.Optimization;

namespace ProcessOptimizer.Core.Tests.Cycle.Solving;

/// <summary>A program's constraint Jacobian and Lagrangian Hessian as full matrices, from the structure it declares.</summary>
internal static class DerivativeViews
{
    public static double[,] Jacobian(INonlinearProgram program, double[] x)
    {
        var pattern = program.JacobianStructure;
        var values = new double[pattern.Count];
        program.ConstraintJacobian(x, values);
        var full = new double[program.Shape.ConstraintCount, program.Shape.VariableCount];
        for (var k = 0; k < values.Length; k++)
        {
            full[pattern.Rows[k], pattern.Columns[k]] += values[k];
        }

        return full;
    }

    /// <summary>The symmetric Hessian of the Lagrangian, both triangles filled.</summary>
    /// <exception cref="InvalidOperationException">The pattern names an entry above the diagonal, or one entry twice.</exception>
    public static double[,] Hessian(INonlinearProgram program, double[] x, double objectiveFactor, double[] multipliers)
    {
        var pattern = program.HessianStructure;
        var values = new double[pattern.Count];
        program.LagrangianHessian(x, objectiveFactor, multipliers, values);
        var n = program.Shape.VariableCount;
        var full = new double[n, n];
        var seen = new HashSet<(int, int)>();
        for (var k = 0; k < values.Length; k++)
        {
            var (i, j) = (pattern.Rows[k], pattern.Columns[k]);
            if (j > i || !seen.Add((i, j)))
            {
                throw new InvalidOperationException($"Hessian entry {k} at ({i}, {j}) is above the diagonal or repeated");
            }

            full[i, j] = full[j, i] = values[k];
        }

        return full;
    }
}
