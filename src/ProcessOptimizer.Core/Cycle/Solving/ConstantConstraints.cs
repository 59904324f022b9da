using System.Globalization;

namespace ProcessOptimizer.Core.Cycle.Solving;

/// <summary>
/// Constraints whose value depends on no decision variable: a guard on a measured value, or a formula whose
/// decisions cancel out. No move changes them, so they are settled at the operating point before anything is solved:
/// met, they are left out of the solve (they cannot restrict the move, and a row with no entries is one IPOPT refuses
/// when it is the only one); missed, no point of the move windows can meet them and the minute is infeasible.
/// </summary>
/// <remarks>
/// "Depends on no decision" is structural: the row's gradient has no entry, so its value is the same at every point.
/// A constraint that merely happens to be flat at the operating point is not one of these.
/// </remarks>
internal static class ConstantConstraints
{
    /// <summary>
    /// Splits the constraints of <paramref name="context"/> at the operating point, whose values are in <paramref name="dof"/>.
    /// </summary>
    /// <returns>The context to solve (without the constant rows), and the most violated constant constraint, if one misses its range.</returns>
    public static (SolveContext Solve, ConstraintViolation? Missed) Split(SolveContext context, double[] dof)
    {
        var plan = context.Base.Strategy.Plans.Get(context.Steps, [], context.Decisions, 1);
        return HasConstant(plan, context) ? WithoutConstant(context, plan, dof) : (context, null);
    }

    // Apart from Split, whose every call made the lambdas' closure over its plan before it knew whether one was constant.
    private static (SolveContext Solve, ConstraintViolation? Missed) WithoutConstant(SolveContext context, WorkspacePlan plan, double[] dof)
    {
        var constant = Enumerable.Range(0, context.Templates.Count).Where(j => IsConstant(plan, context, j)).ToList();

        ConstraintViolation? missed = null;
        foreach (var j in constant)
        {
            var (t, value) = (context.Templates[j], dof[context.ConstraintVariables[j]]);
            var range = $"{t.OpMin.ToString("G6", CultureInfo.InvariantCulture)}–{t.OpMax.ToString("G6", CultureInfo.InvariantCulture)}";
            var at = $"constraint '{t.PredictedVariable}' = {value.ToString("G6", CultureInfo.InvariantCulture)}";
            if (FeasibilityRule.ScaledExcess(value, context.Shape.ConstraintLower[j], context.Shape.ConstraintUpper[j]) == 0)
            {
                context.Warnings.Add($"skill '{context.Name}': {at} does not depend on any decision variable and meets its range {range}, so it does not restrict the move");
                continue;
            }

            var amount = double.IsNaN(value) ? double.NaN : Math.Max(t.OpMin - value, value - t.OpMax);
            context.Warnings.Add($"skill '{context.Name}': {at} does not depend on any decision variable and misses its range {range} by {amount.ToString("G6", CultureInfo.InvariantCulture)}: no move can meet it, so nothing was solved and every value is held");
            if (missed is null || !(amount <= missed.Amount))
            {
                missed = new ConstraintViolation(t.PredictedVariable, value, t.OpMin, t.OpMax, amount);
            }
        }

        var kept = Enumerable.Range(0, context.Templates.Count).Except(constant).ToArray();
        var solve = context with
        {
            Templates = [.. kept.Select(j => context.Templates[j])],
            ConstraintVariables = [.. kept.Select(j => context.ConstraintVariables[j])],
            Shape = context.Shape with
            {
                ConstraintLower = [.. kept.Select(j => context.Shape.ConstraintLower[j])],
                ConstraintUpper = [.. kept.Select(j => context.Shape.ConstraintUpper[j])],
            },
        };
        return (solve, missed);
    }

    // Asked at every cycle, so without LINQ: most strategies have no constant constraint.
    private static bool HasConstant(WorkspacePlan plan, SolveContext context)
    {
        for (var j = 0; j < context.Templates.Count; j++)
        {
            if (IsConstant(plan, context, j))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsConstant(WorkspacePlan plan, SolveContext context, int constraint) =>
        plan.Columns(context.ConstraintVariables[constraint]).Length == 0;
}
