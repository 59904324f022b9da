namespace ProcessOptimizer.Core.Cycle.Solving;

/// <summary>
/// Moves each variable that the interior-point method left a hair away from a bound or from its current value
/// onto it, when that is no worse for the cost and the constraints. Optima of these problems often sit on a
/// move-window edge or, with the seed's intervention penalties, exactly at "no move".
/// </summary>
internal static class Polisher
{
    public static Evaluation Polish(SolveContext context, PointEvaluator evaluator, Evaluation point)
    {
        if (point.Failure is not null)
        {
            return point;
        }

        var shape = context.Shape;
        var best = point;
        for (var i = 0; i < point.X.Length; i++)
        {
            var width = Math.Max(1, shape.UpperBounds[i] - shape.LowerBounds[i]);
            foreach (var target in new[] { shape.LowerBounds[i], shape.UpperBounds[i], shape.Start[i] })
            {
                var x = best.X;
                if (!double.IsFinite(target) || x[i] == target || Math.Abs(x[i] - target) > 1e-6 * width
                    || target < shape.LowerBounds[i] || target > shape.UpperBounds[i])
                {
                    continue;
                }

                var moved = (double[])x.Clone();
                moved[i] = target;
                // A snapped point that does not evaluate is simply not taken, nor one that moves any constraint further
                // out, even within the feasibility tolerance: that would buy cost with violation.
                var trial = evaluator.Evaluate(moved);
                if (trial.Failure is null && trial.Cost <= best.Cost && trial.Violation <= best.Violation)
                {
                    best = trial;
                }
            }
        }

        return best;
    }
}
