using System.Globalization;
using System.Text;
using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Models;
using ProcessOptimizer.Core.Strategies;

namespace ProcessOptimizer.Core.Tests.Cycle.Solving;

/// <summary>
/// A generated strategy whose derivatives are sparse in every way the chain rule meets: groups of eight
/// decisions in one formula each (squares, a product of neighbours, and in two groups a max(0, ·) kink that is
/// fixed per piece), models of four decisions with two curved outputs each, constraints on a model output times a
/// decision, and a cost that multiplies two groups and holds an additive convex kink (an epigraph).
/// </summary>
internal static class SparseStrategy
{
    public static (CompiledStrategy Strategy, CycleInput Input) Build(int decisions, int models)
    {
        var text = new StringBuilder("variables:\n");
        for (var i = 0; i < decisions; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"  x{i}: {{type: Operative, threshold: 1, min_hard_limit: -10, max_hard_limit: 10}}\n");
        }

        var groups = (decisions + 7) / 8;
        for (var g = 0; g < groups; g++)
        {
            text.Append(CultureInfo.InvariantCulture, $"  group{g}: {{type: CalculatedKPI}}\n");
        }

        for (var j = 0; j < models; j++)
        {
            text.Append(CultureInfo.InvariantCulture, $"  ya{j}: {{type: Delta}}\n  yb{j}: {{type: Delta}}\n  c{j}: {{type: Constraint}}\n");
        }

        text.Append("  cost: {type: CalculatedKPI}\nskills:\n");
        var sequence = new List<string>();
        for (var g = 0; g < groups; g++)
        {
            var members = Enumerable.Range(8 * g, Math.Min(8, decisions - (8 * g))).ToList();
            var terms = members.Select(i => $"(x{i} - {0.3 * ((i % 5) - 2):R})**2").ToList();
            if (members.Count > 1)
            {
                terms.Add($"0.2 * x{members[0]} * x{members[1]}");
            }

            if (g < 2)
            {
                terms.Add($"2 * max(0, x{members[^1]} - 0.35)");
            }

            Skill(text, $"mf_group{g}", members.Select(i => $"x{i}"), $"group{g}", string.Join(" + ", terms));
            sequence.Add($"mf_group{g}");
        }

        for (var j = 0; j < models; j++)
        {
            var inputs = Enumerable.Range(0, 4).Select(k => $"x{((5 * j) + (3 * k)) % decisions}").Distinct().ToList();
            text.Append(CultureInfo.InvariantCulture, $"  im_{j}:\n    class: InferenceModel\n    inputs: [{string.Join(", ", inputs)}]\n    outputs: [ya{j}, yb{j}]\n");
            text.Append(CultureInfo.InvariantCulture, $"    config: {{model_path: m{j}.onnx, scaler_path: m{j}.json}}\n");
            var other = $"x{((7 * j) + 1) % decisions}";
            Skill(text, $"mf_c{j}", [$"ya{j}", other], $"c{j}", $"ya{j} * {other}");
            sequence.Add($"im_{j}");
            sequence.Add($"mf_c{j}");
        }

        // Formulas nest at most 100 levels, so many groups are summed in sections of 32 first.
        var parts = Enumerable.Range(0, groups).Select(g => $"group{g}").ToList();
        if (groups > 32)
        {
            parts = [.. parts.Chunk(32).Select((members, k) =>
            {
                text.Replace("  cost: {type: CalculatedKPI}\nskills:\n", $"  section{k}: {{type: CalculatedKPI}}\n  cost: {{type: CalculatedKPI}}\nskills:\n");
                Skill(text, $"mf_section{k}", members, $"section{k}", string.Join(" + ", members));
                sequence.Add($"mf_section{k}");
                return $"section{k}";
            })];
        }

        var costTerms = parts
            .Concat(Enumerable.Range(0, models).Select(j => $"0.5 * ya{j} - 0.2 * yb{j}"))
            .Append(groups > 1 ? "0.05 * group0 * group1" : "0.05 * group0 * group0")
            .Append("max(0, group0 - 1.5)");
        var costInputs = parts.Concat(groups > 32 ? ["group0", "group1"] : []).Concat(Enumerable.Range(0, models).SelectMany(j => new[] { $"ya{j}", $"yb{j}" }));
        Skill(text, "mf_cost", costInputs, "cost", string.Join(" + ", costTerms));
        sequence.Add("mf_cost");
        var all = string.Join(", ", Enumerable.Range(0, decisions).Select(i => $"x{i}"));
        text.Append(CultureInfo.InvariantCulture, $"  cs_cost:\n    class: CompositionSkill\n    config:\n      skill_sequence: [{string.Join(", ", sequence)}]\n");
        text.Append(CultureInfo.InvariantCulture, $"  bounds:\n    class: Bounds\n    inputs: [{all}]\n");
        var tasks = "bounds";
        if (models > 0)
        {
            text.Append("  constraints:\n    class: Constraints\n    config:\n      template:\n");
            for (var j = 0; j < models; j++)
            {
                text.Append(CultureInfo.InvariantCulture, $"        - {{predicted_var: c{j}, op_min: -0.5, op_max: 0.5}}\n        - {{predicted_var: yb{j}, op_min: -0.4, op_max: 1e20}}\n");
            }

            tasks += ", constraints";
        }

        text.Append(CultureInfo.InvariantCulture, $"  optimizer:\n    class: OptimizationSkill\n    inputs: [{all}]\n    config: {{cost_skill_name: cs_cost, cost_feature_name: cost}}\n");
        text.Append(CultureInfo.InvariantCulture, $"tasks:\n  - name: CalculateRecommendations\n    skill_sequence: [{tasks}, optimizer]\n");
        // The stored strategies' default limits: a plant-wide strategy of up to 2,000 decisions loads as deployed.
        var (strategy, problems) = StrategyLoader.Read(text.ToString());
        Assert.True(strategy is not null, string.Join("; ", problems));
        var compiled = StrategyCompiler.Compile(strategy, Enumerable.Range(0, models).ToDictionary(j => $"im_{j}", j => (IModel)new CurvedModel(4, 2, j)));
        var input = CycleInput.FromSingleRow(Enumerable.Range(0, decisions).ToDictionary(i => $"x{i}", i => (double?)(0.1 * ((i % 7) - 3))));
        return (compiled, input);
    }

    private static void Skill(StringBuilder text, string name, IEnumerable<string> inputs, string output, string formula) =>
        text.Append(CultureInfo.InvariantCulture, $"  {name}:\n    class: MathFunction\n    inputs: [{string.Join(", ", inputs)}]\n    outputs: [{output}]\n    config:\n      formula: {formula}\n");
}
