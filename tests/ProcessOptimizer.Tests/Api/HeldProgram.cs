using ProcessOptimizer.Core.Optimization;

namespace ProcessOptimizer.Tests.Api;

/// <summary>A program that calls <paramref name="wait"/> before each evaluation, then evaluates as <paramref name="inner"/> does.</summary>
internal sealed class HeldProgram(INonlinearProgram inner, Action wait) : INonlinearProgram
{
    public ProgramShape Shape => inner.Shape;

    public bool HasExactHessian => inner.HasExactHessian;

    public SparsityPattern JacobianStructure => inner.JacobianStructure;

    public SparsityPattern HessianStructure => inner.HessianStructure;

    public double Objective(ReadOnlySpan<double> x)
    {
        wait();
        return inner.Objective(x);
    }

    public void ObjectiveGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        wait();
        inner.ObjectiveGradient(x, gradient);
    }

    public void Constraints(ReadOnlySpan<double> x, Span<double> values)
    {
        wait();
        inner.Constraints(x, values);
    }

    public void ConstraintJacobian(ReadOnlySpan<double> x, Span<double> values)
    {
        wait();
        inner.ConstraintJacobian(x, values);
    }

    public void LagrangianHessian(ReadOnlySpan<double> x, double objectiveFactor, ReadOnlySpan<double> multipliers, Span<double> values)
    {
        wait();
        inner.LagrangianHessian(x, objectiveFactor, multipliers, values);
    }
}
