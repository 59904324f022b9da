using System.Runtime.CompilerServices;
using ProcessOptimizer.Core.Formulas;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>
/// A branch condition <c>c(x) ≥ 0</c> from <see cref="BranchFixer"/>, evaluated on a step's arguments after the
/// steps have run, with its local derivatives; a <see cref="Workspace"/> chains them to the decision variables.
/// Immutable: kept with the fixed formulas of its step, and shared by every workspace that evaluates it.
/// </summary>
internal sealed class ConditionRow(string description, CompiledFormula formula, int[] dofs, int[] currents)
{
    private readonly Lazy<(int Argument, FormulaNode Slope)?> _affine = new(() => Affine(formula, dofs.Length));

    public string Description { get; } = description;

    /// <summary>Which local derivatives can be non-zero; the row is output 0.</summary>
    public LocalDerivatives Derivatives { get; } = LocalDerivatives.OfFormula(formula, dofs);

    /// <summary>
    /// Scratch for one evaluation of the row: arguments, gradient over the differentiated arguments, packed Hessian.
    /// Rows are immutable and shared by concurrent solves; each workspace holds buffers of its own.
    /// </summary>
    public StepBuffers CreateBuffers(int order) => new(formula.Parameters.Count, 1, order >= 2 ? formula.HessianLength : 0);

    /// <summary>The row's value; for <paramref name="order"/> ≥ 1 its derivatives go to <paramref name="buffers"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Evaluate(VariableState state, StepBuffers buffers, int order)
    {
        var args = buffers.Arguments;
        Chain.Gather(state, dofs, currents, args);
        return order == 0 ? formula.Evaluate(args) : order == 1 ? formula.Evaluate(args, buffers.Derivatives) : formula.Evaluate(args, buffers.Derivatives, buffers.SecondDerivatives);
    }

    /// <summary>
    /// When the condition is affine in the value of one variable v (c = slope·v + offset, as the conditions
    /// of max(0, delta) are), the range of v it allows; otherwise null. Used to bound a piece's cost.
    /// </summary>
    public (int Variable, Interval Allowed)? Restriction(VariableState state)
    {
        if (_affine.Value is not var (argument, derivative))
        {
            return null;
        }

        var at = (Row: this, State: state);
        var (slope, offset) = (FormulaInterpreter.Evaluate(derivative, static (symbol, s) => s.Row.Current(symbol, s.State), at),
            FormulaInterpreter.Evaluate(formula.Syntax, static (symbol, s) => s.Row.Current(symbol, s.State), at));
        if (slope == 0 || !double.IsFinite(slope) || !double.IsFinite(offset))
        {
            return null;
        }

        var edge = -offset / slope;
        return (dofs[argument], slope > 0 ? new Interval(edge, double.PositiveInfinity) : new Interval(double.NegativeInfinity, edge));
    }

    // The differentiated arguments count as 0: the slope and the offset are read with them out.
    private double Current(string symbol, VariableState state)
    {
        var slot = formula.ParameterIndex(symbol);
        return slot < dofs.Length ? 0 : state.Current[currents[slot - dofs.Length]];
    }

    // The symbolic part of a restriction depends only on the formula, so it is found once per row, not per piece bound.
    private static (int Argument, FormulaNode Slope)? Affine(CompiledFormula formula, int differentiated)
    {
        var (syntax, parameters) = (formula.Syntax, formula.Parameters);
        var moving = Enumerable.Range(0, differentiated).Where(i => Differentiator.DependsOn(syntax, parameters[i])).ToList();
        if (moving.Count != 1)
        {
            return null;
        }

        var derivative = Differentiator.Derive(syntax, parameters[moving[0]]);
        return Enumerable.Range(0, differentiated).Any(i => Differentiator.DependsOn(derivative, parameters[i])) ? null : (moving[0], derivative);
    }
}
