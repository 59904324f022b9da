using System.Globalization;
using System.Text;

namespace ProcessOptimizer.Tests.Cli;

/// <summary>
/// A classic Hock-Schittkowski test problem, written out in the seed's strategy format: decision variables
/// as Operative with wide thresholds, f and each g as MathFunctions in a CompositionSkill, g as Constraints.
/// </summary>
internal sealed record HockSchittkowskiProblem(
    string Name,
    (string Name, double Lower, double Upper, double Start)[] Variables,
    string Objective,
    (string Formula, double Lower, double Upper)[] Constraints,
    double Optimum)
{
    private const double Free = 1e20;

    public override string ToString() => Name;

    public string Strategy()
    {
        var names = string.Join(", ", Variables.Select(v => v.Name));
        var text = new StringBuilder("variables:\n");
        foreach (var v in Variables)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {v.Name}: {{type: Operative, threshold: {Free:R}, min_hard_limit: {Bound(v.Lower)}, max_hard_limit: {Bound(v.Upper)}}}\n");
        }

        text.Append("  f: {type: CalculatedKPI}\n");
        for (var j = 0; j < Constraints.Length; j++)
        {
            text.Append(CultureInfo.InvariantCulture, $"  g{j}: {{type: Constraint}}\n");
        }

        text.Append("skills:\n");
        text.Append(CultureInfo.InvariantCulture, $"  mf_f:\n    class: MathFunction\n    inputs: [{names}]\n    outputs: [f]\n    config:\n      formula: {Objective}\n");
        for (var j = 0; j < Constraints.Length; j++)
        {
            text.Append(CultureInfo.InvariantCulture, $"  mf_g{j}:\n    class: MathFunction\n    inputs: [{names}]\n    outputs: [g{j}]\n    config:\n      formula: {Constraints[j].Formula}\n");
        }

        var sequence = string.Join(", ", new[] { "mf_f" }.Concat(Constraints.Select((_, j) => $"mf_g{j}")));
        text.Append(CultureInfo.InvariantCulture, $"  cs_problem:\n    class: CompositionSkill\n    config:\n      skill_sequence: [{sequence}]\n");
        text.Append(CultureInfo.InvariantCulture, $"  os_bounds:\n    class: Bounds\n    inputs: [{names}]\n");
        text.Append("  os_constraints:\n    class: Constraints\n    config:\n      template:\n");
        for (var j = 0; j < Constraints.Length; j++)
        {
            text.Append(CultureInfo.InvariantCulture, $"        - {{predicted_var: g{j}, op_min: {Bound(Constraints[j].Lower)}, op_max: {Bound(Constraints[j].Upper)}}}\n");
        }

        if (Constraints.Length == 0)
        {
            text.Append("        []\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"  os_optimizer:\n    class: OptimizationSkill\n    inputs: [{names}]\n    config:\n      cost_skill_name: cs_problem\n      cost_feature_name: f\n");
        text.Append("tasks:\n  - name: CalculateRecommendations\n    skill_sequence: [os_bounds, os_constraints, os_optimizer]\n");
        return text.ToString();
    }

    public string Input() =>
        "{" + string.Join(", ", Variables.Select(v => string.Create(CultureInfo.InvariantCulture, $"\"{v.Name}\": {v.Start:R}"))) + "}";

    private static string Bound(double value) =>
        double.IsPositiveInfinity(value) ? Free.ToString("R", CultureInfo.InvariantCulture)
        : double.IsNegativeInfinity(value) ? (-Free).ToString("R", CultureInfo.InvariantCulture)
        : value.ToString("R", CultureInfo.InvariantCulture);
}
