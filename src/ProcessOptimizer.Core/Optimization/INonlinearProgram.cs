namespace ProcessOptimizer.Core.Optimization;

/// <summary>
/// A smooth nonlinear program: minimise f(x) subject to <c>gL ≤ g(x) ≤ gU</c> and <c>xL ≤ x ≤ xU</c>.
/// The constraint Jacobian and the Hessian of the Lagrangian are sparse: their values are written in the order of
/// <see cref="JacobianStructure"/> and <see cref="HessianStructure"/>.
/// </summary>
/// <remarks>
/// Solvers call these methods on one thread at a time. Any method may throw; a solver treats that as an
/// evaluation failure at that point (it shortens the step) and reports the last failure if the solve ends
/// because of it. The spans are only valid during the call.
/// </remarks>
public interface INonlinearProgram
{
    /// <summary>Sizes, bounds and the start point.</summary>
    ProgramShape Shape { get; }

    /// <summary>Whether <see cref="LagrangianHessian"/> gives exact second derivatives.</summary>
    bool HasExactHessian { get; }

    /// <summary>The structural non-zeros of the constraint Jacobian (rows are constraints, columns variables).</summary>
    SparsityPattern JacobianStructure { get; }

    /// <summary>
    /// The structural non-zeros of the Lagrangian's Hessian, lower triangle only (row ≥ column), each entry once;
    /// empty when <see cref="HasExactHessian"/> is false.
    /// </summary>
    SparsityPattern HessianStructure { get; }

    double Objective(ReadOnlySpan<double> x);

    void ObjectiveGradient(ReadOnlySpan<double> x, Span<double> gradient);

    void Constraints(ReadOnlySpan<double> x, Span<double> values);

    void ConstraintJacobian(ReadOnlySpan<double> x, Span<double> values);

    void LagrangianHessian(ReadOnlySpan<double> x, double objectiveFactor, ReadOnlySpan<double> multipliers, Span<double> values);
}
