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
}
