using ProcessOptimizer.Core.Optimization;

namespace ProcessOptimizer.Solver.Tests.Ipopt;

/// <summary>HS071 written directly against the program interface, independent of the strategy layer.</summary>
internal sealed class Hs071Program(bool exactHessian = true) : INonlinearProgram
{
    public ProgramShape Shape { get; } = new([1, 5, 5, 1], [1, 1, 1, 1], [5, 5, 5, 5], [25, 40], [double.PositiveInfinity, 40]);

    public bool HasExactHessian => exactHessian;

    // Written dense: every entry of the Jacobian row by row, and the whole lower triangle.
    public SparsityPattern JacobianStructure { get; } = SparsityPattern.Dense(2, 4);

    public SparsityPattern HessianStructure { get; } = SparsityPattern.LowerTriangle(4);

    public double Objective(ReadOnlySpan<double> x) => (x[0] * x[3] * (x[0] + x[1] + x[2])) + x[2];

    public void ObjectiveGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        gradient[0] = (x[0] * x[3]) + (x[3] * (x[0] + x[1] + x[2]));
        gradient[1] = x[0] * x[3];
        gradient[2] = (x[0] * x[3]) + 1;
        gradient[3] = x[0] * (x[0] + x[1] + x[2]);
    }

    public void Constraints(ReadOnlySpan<double> x, Span<double> values)
    {
        values[0] = x[0] * x[1] * x[2] * x[3];
        values[1] = (x[0] * x[0]) + (x[1] * x[1]) + (x[2] * x[2]) + (x[3] * x[3]);
    }

    public void ConstraintJacobian(ReadOnlySpan<double> x, Span<double> values)
    {
        values[0] = x[1] * x[2] * x[3];
        values[1] = x[0] * x[2] * x[3];
        values[2] = x[0] * x[1] * x[3];
        values[3] = x[0] * x[1] * x[2];
        for (var j = 0; j < 4; j++)
        {
            values[4 + j] = 2 * x[j];
        }
    }

    public void LagrangianHessian(ReadOnlySpan<double> x, double objectiveFactor, ReadOnlySpan<double> multipliers, Span<double> values)
    {
        double s = objectiveFactor, l0 = multipliers[0], l1 = multipliers[1];
        values[0] = (s * 2 * x[3]) + (l1 * 2);
        values[1] = (s * x[3]) + (l0 * x[2] * x[3]);
        values[2] = l1 * 2;
        values[3] = (s * x[3]) + (l0 * x[1] * x[3]);
        values[4] = l0 * x[0] * x[3];
        values[5] = l1 * 2;
        values[6] = (s * ((2 * x[0]) + x[1] + x[2])) + (l0 * x[1] * x[2]);
        values[7] = (s * x[0]) + (l0 * x[0] * x[2]);
        values[8] = (s * x[0]) + (l0 * x[0] * x[1]);
        values[9] = l1 * 2;
    }
}
