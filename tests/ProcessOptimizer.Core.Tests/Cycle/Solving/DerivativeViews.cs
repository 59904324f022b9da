using ProcessOptimizer.Core.Optimization;

namespace ProcessOptimizer.Core.Tests.Cycle.Solving;

/// <summary>A program's constraint Jacobian and Lagrangian Hessian as full matrices, whatever the program declares.</summary>
internal static class DerivativeViews
{
    public static double[,] Jacobian(INonlinearProgram program, double[] x)
    {
        int n = program.Shape.VariableCount, m = program.Shape.ConstraintCount;
        var values = new double[n * m];
        program.ConstraintJacobian(x, values);
        var full = new double[m, n];
        for (var k = 0; k < values.Length; k++)
        {
            full[k / n, k % n] = values[k];
        }

        return full;
    }

    /// <summary>The symmetric Hessian of the Lagrangian, both triangles filled.</summary>
    public static double[,] Hessian(INonlinearProgram program, double[] x, double objectiveFactor, double[] multipliers)
    {
        var n = program.Shape.VariableCount;
        var values = new double[n * (n + 1) / 2];
        program.LagrangianHessian(x, objectiveFactor, multipliers, values);
        var full = new double[n, n];
        var k = 0;
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++, k++)
            {
                full[i, j] = full[j, i] = values[k];
            }
        }

        return full;
    }
}
