namespace ProcessOptimizer.Core.Optimization;

/// <summary>
/// The same program started from another point, such as a previous solution to warm-start from
/// (<see cref="SolverSettings.WarmStart"/>). The point is put inside the program's bounds.
/// </summary>
public class RestartedProgram(INonlinearProgram inner, double[] start) : INonlinearProgram
{
    public ProgramShape Shape { get; } = inner.Shape with
    {
        Start = [.. start.Select((v, i) => Math.Clamp(v, inner.Shape.LowerBounds[i], inner.Shape.UpperBounds[i]))],
    };

    public bool HasExactHessian => inner.HasExactHessian;

    public SparsityPattern JacobianStructure => inner.JacobianStructure;

    public SparsityPattern HessianStructure => inner.HessianStructure;

    public virtual double Objective(ReadOnlySpan<double> x) => inner.Objective(x);

    public void ObjectiveGradient(ReadOnlySpan<double> x, Span<double> gradient) => inner.ObjectiveGradient(x, gradient);

    public void Constraints(ReadOnlySpan<double> x, Span<double> values) => inner.Constraints(x, values);

    public void ConstraintJacobian(ReadOnlySpan<double> x, Span<double> values) => inner.ConstraintJacobian(x, values);

    public void LagrangianHessian(ReadOnlySpan<double> x, double objectiveFactor, ReadOnlySpan<double> multipliers, Span<double> values) =>
        inner.LagrangianHessian(x, objectiveFactor, multipliers, values);
}
