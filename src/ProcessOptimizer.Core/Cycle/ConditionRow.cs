using System.Runtime.CompilerServices;
using ProcessOptimizer.Core.Formulas;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>
/// A branch condition <c>c(x) ≥ 0</c> from <see cref="BranchFixer"/>, evaluated on a step's arguments after the
/// steps have run, with its gradient and Hessian with respect to the decision variables.
/// </summary>
internal sealed class ConditionRow(string description, CompiledFormula formula, int[] dofs, int[] currents)
{
    private readonly double[] _args = new double[formula.Parameters.Count];
    private readonly double[] _df = new double[Math.Max(1, formula.DifferentiatedCount)];
    private readonly double[] _d2f = new double[formula.HessianLength];

    public string Description { get; } = description;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Evaluate(Workspace workspace, int order, Span<double> gradient, Span<double> hessian)
    {
        Chain.Gather(workspace.State, dofs, currents, _args);
        if (order == 0)
        {
            return formula.Evaluate(_args);
        }

        var value = order == 1 ? formula.Evaluate(_args, _df) : formula.Evaluate(_args, _df, _d2f);
        Chain.Gradient(workspace, dofs, _df, gradient);
        if (order >= 2)
        {
            Chain.Hessian(workspace, dofs, _df, _d2f, hessian);
        }

        return value;
    }

    /// <summary>
    /// When the condition is affine in the value of one variable v (c = slope·v + offset, as the conditions
    /// of max(0, delta) are), the range of v it allows; otherwise null. Used to bound a piece's cost.
    /// </summary>
    public (int Variable, Interval Allowed)? Restriction(VariableState state)
    {
        var syntax = formula.Syntax;
        var parameters = formula.Parameters;
        var moving = Enumerable.Range(0, dofs.Length).Where(i => Differentiator.DependsOn(syntax, parameters[i])).ToList();
        if (moving.Count != 1)
        {
            return null;
        }

        var name = parameters[moving[0]];
        var derivative = Differentiator.Derive(syntax, name);
        if (Enumerable.Range(0, dofs.Length).Any(i => Differentiator.DependsOn(derivative, parameters[i])))
        {
            return null;
        }

        double Current(string symbol)
        {
            var slot = formula.ParameterIndex(symbol);
            return slot < dofs.Length ? 0 : state.Current[currents[slot - dofs.Length]];
        }

        var (slope, offset) = (FormulaInterpreter.Evaluate(derivative, Current), FormulaInterpreter.Evaluate(syntax, Current));
        if (slope == 0 || !double.IsFinite(slope) || !double.IsFinite(offset))
        {
            return null;
        }

        var edge = -offset / slope;
        return (dofs[moving[0]], slope > 0 ? new Interval(edge, double.PositiveInfinity) : new Interval(double.NegativeInfinity, edge));
    }
}
