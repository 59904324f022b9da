using System.Globalization;
using ProcessOptimizer.Core.Formulas;

namespace ProcessOptimizer.Core.Cycle.Solving;

/// <summary>
/// A proof that no point of the move windows meets the constraints. The windows are cut into boxes, and in each
/// box the range of some constrained variable (<see cref="WindowRanges"/>, through the formulas and the models)
/// lies outside its allowed range by more than <see cref="FeasibilityRule"/> allows. A range contains every value
/// its variable takes in its box, so the proof holds for every point, whatever solve or start would look.
/// </summary>
/// <remarks>
/// Ranges over a whole window are often much wider than the truth (a network's layers compound what interval
/// arithmetic loses), and narrow quickly as boxes shrink, so boxes are halved breadth first, each along its widest
/// side relative to its window, up to <see cref="MaxBoxes"/> ranges. A box in which every constraint holds
/// everywhere, or running out of boxes, ends the attempt without a proof, and then nothing is concluded.
/// </remarks>
/// <param name="Boxes">How many boxes the windows were cut into.</param>
/// <param name="Excluded">For each constraint that excluded some box, the hull of its ranges over those boxes.</param>
internal sealed record InfeasibilityProof(int Boxes, IReadOnlyDictionary<int, Interval> Excluded)
{
    public const int MaxBoxes = 64;

    /// <param name="workspace">A workspace with the steps prepared, for the models' fixed inputs.</param>
    public static InfeasibilityProof? Find(SolveContext context, Workspace workspace)
    {
        if (context.Templates.Count == 0 || context.Shape.LowerBounds.Concat(context.Shape.UpperBounds).Any(b => !double.IsFinite(b)))
        {
            return null;
        }

        var steps = Feeding(context.Steps, context.ConstraintVariables);
        var shape = context.Shape;
        var boxes = new Queue<(double[] Lower, double[] Upper)>();
        boxes.Enqueue((shape.LowerBounds, shape.UpperBounds));
        var excluded = new Dictionary<int, Interval>();
        var (ranged, leaves) = (0, 0);
        while (boxes.TryDequeue(out var box))
        {
            if (++ranged > MaxBoxes)
            {
                return null;
            }

            var range = WindowRanges.Of(steps, context.Decisions, box.Lower, box.Upper, context.Base, workspace);
            var (beyond, within) = (-1, true);
            for (var j = 0; j < context.Templates.Count && beyond < 0; j++)
            {
                var values = range(context.ConstraintVariables[j]);
                var (lower, upper) = (shape.ConstraintLower[j], shape.ConstraintUpper[j]);
                // Both ends beyond the rule on the same side: then so is every value between them.
                if (FeasibilityRule.ScaledExcess(values.High, lower, double.PositiveInfinity) > 0
                    || FeasibilityRule.ScaledExcess(values.Low, double.NegativeInfinity, upper) > 0)
                {
                    beyond = j;
                    excluded[j] = excluded.TryGetValue(j, out var earlier) ? earlier.Hull(values) : values;
                }

                within &= lower <= values.Low && values.High <= upper;
            }

            if (beyond >= 0)
            {
                leaves++;
                continue;
            }

            if (within)
            {
                // Every point of this box meets every constraint: there is nothing to prove.
                return null;
            }

            var (first, second) = Halves(box.Lower, box.Upper, shape.LowerBounds, shape.UpperBounds);
            boxes.Enqueue(first);
            boxes.Enqueue(second);
        }

        return new InfeasibilityProof(leaves, excluded);
    }

    /// <summary>What was proved, for the cycle's warnings.</summary>
    public string Describe(SolveContext context) =>
        $"no point within the move windows can meet the constraints: cut into {Boxes} {(Boxes == 1 ? "box" : "boxes")}, each holds a constraint out of reach by interval bounds through the formulas and models ("
        + string.Join("; ", Excluded.Select(e => context.Templates[e.Key] is var t
            ? string.Create(CultureInfo.InvariantCulture, $"'{t.PredictedVariable}' stays within {e.Value.Low:G6}–{e.Value.High:G6} against {t.OpMin:G6}–{t.OpMax:G6}")
            : ""))
        + ")";

    // Only the steps that the constraints depend on, in their order: the cost's steps have nothing to say here.
    private static List<IStep> Feeding(IReadOnlyList<IStep> steps, int[] constrained)
    {
        var needed = constrained.ToHashSet();
        var feeding = new List<IStep>();
        for (var s = steps.Count - 1; s >= 0; s--)
        {
            if (steps[s].Outputs.Any(needed.Contains))
            {
                feeding.Add(steps[s]);
                needed.UnionWith(steps[s].DofInputs);
            }
        }

        feeding.Reverse();
        return feeding;
    }

    private static ((double[], double[]), (double[], double[])) Halves(double[] lower, double[] upper, double[] windowLower, double[] windowUpper)
    {
        var (widest, share) = (0, -1.0);
        for (var i = 0; i < lower.Length; i++)
        {
            var width = windowUpper[i] - windowLower[i];
            var part = width > 0 ? (upper[i] - lower[i]) / width : 0;
            if (part > share)
            {
                (widest, share) = (i, part);
            }
        }

        var middle = (lower[widest] / 2) + (upper[widest] / 2);
        double[] firstUpper = [.. upper], secondLower = [.. lower];
        firstUpper[widest] = middle;
        secondLower[widest] = middle;
        return ((lower, firstUpper), (secondLower, upper));
    }
}
