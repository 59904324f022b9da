using System.Globalization;

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
        // The best point so far, changed in place; it is copied out into an evaluation once, at the end.
        double[]? best = null;
        var (bestCost, bestViolation) = (point.Cost, point.Violation);
        for (var i = 0; i < point.X.Length; i++)
        {
            var width = Math.Max(1, shape.UpperBounds[i] - shape.LowerBounds[i]);
            for (var k = 0; k < 3; k++)
            {
                var target = k == 0 ? shape.LowerBounds[i] : k == 1 ? shape.UpperBounds[i] : shape.Start[i];
                var current = best?[i] ?? point.X[i];
                if (!double.IsFinite(target) || current == target || Math.Abs(current - target) > 1e-6 * width
                    || target < shape.LowerBounds[i] || target > shape.UpperBounds[i])
                {
                    continue;
                }

                best ??= (double[])point.X.Clone();
                best[i] = target;
                // A snapped point that does not evaluate is simply not taken, nor one that moves any constraint further
                // out, even within the feasibility tolerance: that would buy cost with violation.
                var (cost, violation) = evaluator.Try(best);
                if (cost <= bestCost && violation <= bestViolation)
                {
                    (bestCost, bestViolation) = (cost, violation);
                }
                else
                {
                    best[i] = current;
                }
            }
        }

        // The snapped point is this method's own copy, so the evaluation takes it as it is.
        return best is null || best.AsSpan().SequenceEqual(point.X) ? point : evaluator.EvaluateTaking(best);
    }

    /// <summary>The moves from <paramref name="before"/> to <paramref name="after"/>, as a clause for a warning; null when nothing moved.</summary>
    public static string? Moves(SolveContext context, Evaluation before, Evaluation after)
    {
        // Polish gives back the evaluation it was given when nothing moved, and a new point otherwise.
        if (ReferenceEquals(before.X, after.X))
        {
            return null;
        }

        var variables = context.Base.Strategy.Variables;
        var moves = new List<string>();
        for (var i = 0; i < before.X.Length; i++)
        {
            if (before.X[i] != after.X[i])
            {
                var edge = after.X[i] == context.Shape.LowerBounds[i] ? "its lower bound" : after.X[i] == context.Shape.UpperBounds[i] ? "its upper bound" : "its current value";
                moves.Add(string.Create(CultureInfo.InvariantCulture, $"'{variables[context.Decisions[i]].Name}' from {before.X[i]:G6} onto {edge} {after.X[i]:G6}"));
            }
        }

        return moves.Count == 0 ? null : string.Join(", ", moves);
    }
}
