using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Core.Strategies;

namespace ProcessOptimizer.Dashboard;

/// <summary>Lays a stored run out against the limits of the strategy version that produced it.</summary>
public static class RunExplainer
{
    // Constraint bands at or beyond this are unbounded, as the solver reads them.
    private const double Unbounded = 1e19;

    // The outer share of a band, on either side, that counts as near its edge.
    private const double NearShare = 0.1;

    /// <param name="definition">The run's strategy version; null when it cannot be read, and <paramref name="note"/> says why.</param>
    public static RunExplanation Explain(RunRecord run, Strategy? definition, string? note)
    {
        ArgumentNullException.ThrowIfNull(run);
        var values = run.Recommendations.ToDictionary(r => r.Variable, StringComparer.Ordinal);
        var decisions = new List<DecisionRow>();
        var constraints = new List<ConstraintRow>();
        if (definition is not null)
        {
            var inputs = definition.SkillsOf<OptimizationSkill>().SelectMany(o => o.Inputs).Distinct(StringComparer.Ordinal);
            foreach (var name in inputs)
            {
                if (values.TryGetValue(name, out var value) && definition.Variables.TryGetValue(name, out var variable))
                {
                    decisions.Add(Decision(value, variable));
                }
            }

            foreach (var template in definition.SkillsOf<ConstraintsSkill>().SelectMany(c => c.Template))
            {
                if (values.TryGetValue(template.PredictedVariable, out var value))
                {
                    constraints.Add(Constraint(value, template));
                }
            }
        }

        // A run stored before the items were kept apart has its message only, split where the items were joined.
        var warnings = run.MessageItems ?? (run.Message is { Length: > 0 } message ? message.Split("; ", StringSplitOptions.RemoveEmptyEntries) : []);
        return new RunExplanation(
            run.Id, run.StrategyName, run.StrategyVersion, run.ModelVersions, run.StartedAt, run.DataTimestamp, run.Outcome.Name(),
            run.SolverStatus, run.Iterations, run.DurationMs, run.Cost, decisions, constraints, warnings, note);
    }

    /// <summary>A decision variable's row; the window is the Bounds skill's, from the run's current value.</summary>
    public static DecisionRow Decision(Recommendation value, Variable variable)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(variable);
        var low = Math.Max(variable.MinHardLimit, value.Current - variable.Threshold);
        var high = Math.Min(variable.MaxHardLimit, value.Current + variable.Threshold);
        var r = value.Recommended;
        string? atLimit = Near(r, variable.MinHardLimit) ? "hard-low"
            : Near(r, variable.MaxHardLimit) ? "hard-high"
            : Near(r, low) ? "move-low"
            : Near(r, high) ? "move-high"
            : null;
        return new DecisionRow(value.Variable, variable.Units, value.Current, r, value.Delta, low, high, variable.MinHardLimit, variable.MaxHardLimit, atLimit);
    }

    /// <summary>A constraint's row: violated outside its band, near in the band's outer tenth, within otherwise.</summary>
    public static ConstraintRow Constraint(Recommendation value, ConstraintTemplate template)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(template);
        double? min = template.OpMin <= -Unbounded ? null : template.OpMin;
        double? max = template.OpMax >= Unbounded ? null : template.OpMax;
        var v = value.Recommended;
        string state;
        if ((min is { } lo && v < lo && !Near(v, lo)) || (max is { } hi && v > hi && !Near(v, hi)))
        {
            state = "violated";
        }
        else if (min is { } a && max is { } b)
        {
            var margin = (b - a) * NearShare;
            // An equality (a == b) that holds is within, not near.
            state = b > a && (v - a <= margin || b - v <= margin) ? "near" : "within";
        }
        else
        {
            state = "within";
        }

        return new ConstraintRow(value.Variable, value.Units, v, min, max, state);
    }

    // Solutions sit on a bound up to the solver's tolerance, not bit for bit.
    private static bool Near(double value, double bound) => Math.Abs(value - bound) <= 1e-6 * Math.Max(1, Math.Abs(bound));
}
