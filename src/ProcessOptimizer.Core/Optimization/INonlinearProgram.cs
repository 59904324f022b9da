namespace ProcessOptimizer.Core.Optimization;

/// <summary>
/// A smooth nonlinear program: minimise f(x) subject to <c>gL ≤ g(x) ≤ gU</c> and <c>xL ≤ x ≤ xU</c>.
/// The Jacobian is dense and row-major (m × n); the Hessian of the Lagrangian is the packed lower triangle,
/// row by row.
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

    double Objective(ReadOnlySpan<double> x);

    void ObjectiveGradient(ReadOnlySpan<double> x, Span<double> gradient);

    void Constraints(ReadOnlySpan<double> x, Span<double> values);

    void ConstraintJacobian(ReadOnlySpan<double> x, Span<double> values);

    void LagrangianHessian(ReadOnlySpan<double> x, double objectiveFactor, ReadOnlySpan<double> multipliers, Span<double> values);
}
