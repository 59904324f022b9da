using ProcessOptimizer.Core.Optimization;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>
/// Another program with its cost taken away: only whether a point within the bounds meets the constraints.
/// The cost's kinks do not matter here, so one smooth solve answers for every piece of a kinked problem.
/// </summary>
internal sealed class FeasibilityProgram(INonlinearProgram inner) : INonlinearProgram
{
    public ProgramShape Shape => inner.Shape;

    public bool HasExactHessian => inner.HasExactHessian;

    public SparsityPattern JacobianStructure => inner.JacobianStructure;

    public SparsityPattern HessianStructure => inner.HessianStructure;

    public double Objective(ReadOnlySpan<double> x) => 0;

    public void ObjectiveGradient(ReadOnlySpan<double> x, Span<double> gradient) => gradient.Clear();

    public void Constraints(ReadOnlySpan<double> x, Span<double> values) => inner.Constraints(x, values);

    public void ConstraintJacobian(ReadOnlySpan<double> x, Span<double> values) => inner.ConstraintJacobian(x, values);

    public void LagrangianHessian(ReadOnlySpan<double> x, double objectiveFactor, ReadOnlySpan<double> multipliers, Span<double> values) =>
        inner.LagrangianHessian(x, 0, multipliers, values);
}
