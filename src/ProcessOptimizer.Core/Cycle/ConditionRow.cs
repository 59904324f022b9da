using System.Runtime.CompilerServices;
using ProcessOptimizer.Core.Formulas;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>
/// A branch condition <c>c(x) ≥ 0</c> from <see cref="BranchFixer"/>, evaluated on a step's arguments after the
/// steps have run, with its local derivatives; a <see cref="Workspace"/> chains them to the decision variables.
/// </summary>
internal sealed class ConditionRow(string description, CompiledFormula formula, int[] dofs, int[] currents)
{
    private readonly double[] _args = new double[formula.Parameters.Count];
    private readonly double[] _df = new double[Math.Max(1, formula.DifferentiatedCount)];
    private readonly double[] _d2f = new double[formula.HessianLength];

    public string Description { get; } = description;

    /// <summary>Which local derivatives can be non-zero; the row is output 0.</summary>
    public LocalDerivatives Derivatives { get; } = LocalDerivatives.OfFormula(formula, dofs);

    /// <summary>The condition's gradient over its differentiated arguments at the last evaluation of order ≥ 1.</summary>
    public double[] First => _df;

    /// <summary>Its packed Hessian at the last evaluation of order 2.</summary>
    public double[] Second => _d2f;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Evaluate(VariableState state, int order)
    {
        Chain.Gather(state, dofs, currents, _args);
        return order == 0 ? formula.Evaluate(_args) : order == 1 ? formula.Evaluate(_args, _df) : formula.Evaluate(_args, _df, _d2f);
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
