using System.Globalization;
using System.Text;
using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Core.Strategies;
using ProcessOptimizer.Solver.Ipopt;

namespace ProcessOptimizer.Core.Tests.Cycle.Solving;

/// <summary>
/// A strategy of one to three Operative variables x1..xn with hard limits [-10, 10], one cost formula and a few
/// constraint formulas, run as a cycle from one data row. Written as YAML, as a user would write it.
/// </summary>
internal sealed record SmallProblem(double[] Current, double[] Threshold, Term[] Cost, Constraint[] Constraints)
{
    public const double HardLimit = 10;

    private static readonly IpoptSolver Solver = new();

    public int MaxIterations { get; init; } = 1000;

    public bool Convex { get; init; }

    public int Count => Current.Length;

    public string CostText => string.Join(" + ", Cost.Select(t => t.Text));

    public double CostAt(double[] x) => Cost.Sum(t => t.Value(x));

    public (double Lower, double Upper) Window(int i) =>
        (Math.Max(-HardLimit, Current[i] - Threshold[i]), Math.Min(HardLimit, Current[i] + Threshold[i]));

    public CycleResult Run() => Run(this);

    /// <summary>The cycle as a strategy's loop runs it, from what the previous cycle left (null: cold).</summary>
    public CycleResult Run(CycleWarmStart? previous) => Run(this, previous);

    /// <summary>The cycle run again with every move window closed at <paramref name="x"/>: the steps evaluated there and nothing solved.</summary>
    public CycleResult EvaluateAt(double[] x) =>
        Run(this with { Current = x, Threshold = new double[Count] });

    public override string ToString() =>
        $"cost {CostText}; constraints [{string.Join("; ", Constraints.Select(c => $"{c.G.Text} in [{c.Min:R}, {c.Max:R}]"))}]; "
        + $"current [{string.Join(", ", Current)}]; threshold [{string.Join(", ", Threshold)}]; max_iter {MaxIterations}";

    private static CycleResult Run(SmallProblem problem, CycleWarmStart? previous = null)
    {
        var (strategy, input) = problem.Compiled();
        return new CycleRunner(Solver).Run(strategy, input, new SolverSettings { MaxIterations = problem.MaxIterations, Previous = previous }, CancellationToken.None);
    }

    /// <summary>The strategy compiled, and its one data row.</summary>
    public (CompiledStrategy Strategy, CycleInput Input) Compiled()
    {
        var strategy = StrategyCompiler.Compile(StrategyLoader.Load(Yaml(), "small-problem"), new Dictionary<string, Models.IModel>());
        var values = Enumerable.Range(0, Count).ToDictionary(i => $"x{i + 1}", i => (double?)Current[i]);
        return (strategy, new CycleInput([new ProcessRow(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), values)]));
    }

    /// <summary>The strategy as a user would write it.</summary>
    public string Yaml()
    {
        var inputs = string.Join(", ", Enumerable.Range(1, Count).Select(i => $"x{i}"));
        var yaml = new StringBuilder("variables:\n");
        for (var i = 0; i < Count; i++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"  x{i + 1}: {{type: Operative, threshold: {Threshold[i]:R}, min_hard_limit: {-HardLimit:R}, max_hard_limit: {HardLimit:R}}}\n");
        }

        yaml.Append("  f: {type: CalculatedKPI}\n");
        for (var k = 0; k < Constraints.Length; k++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"  g{k + 1}: {{type: Constraint}}\n");
        }

        yaml.Append("skills:\n");
        yaml.Append(CultureInfo.InvariantCulture, $"  mf_f:\n    class: MathFunction\n    inputs: [{inputs}]\n    outputs: [f]\n    config:\n      formula: {CostText}\n");
        for (var k = 0; k < Constraints.Length; k++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"  mf_g{k + 1}:\n    class: MathFunction\n    inputs: [{inputs}]\n    outputs: [g{k + 1}]\n    config:\n      formula: {Constraints[k].G.Text}\n");
        }

        var sequence = string.Join(", ", new[] { "mf_f" }.Concat(Enumerable.Range(1, Constraints.Length).Select(k => $"mf_g{k}")));
        yaml.Append(CultureInfo.InvariantCulture, $"  cs_problem:\n    class: CompositionSkill\n    config:\n      skill_sequence: [{sequence}]\n");
        yaml.Append(CultureInfo.InvariantCulture, $"  os_bounds:\n    class: Bounds\n    inputs: [{inputs}]\n");
        var tasks = "os_bounds";
        if (Constraints.Length > 0)
        {
            yaml.Append("  os_constraints:\n    class: Constraints\n    config:\n      template:\n");
            for (var k = 0; k < Constraints.Length; k++)
            {
                yaml.Append(CultureInfo.InvariantCulture, $"        - {{predicted_var: g{k + 1}, op_min: {Constraints[k].Min:R}, op_max: {Constraints[k].Max:R}}}\n");
            }

            tasks += ", os_constraints";
        }

        yaml.Append(CultureInfo.InvariantCulture, $"  os_optimizer:\n    class: OptimizationSkill\n    inputs: [{inputs}]\n    config:\n      cost_skill_name: cs_problem\n      cost_feature_name: f\n");
        yaml.Append(CultureInfo.InvariantCulture, $"tasks:\n  - name: CalculateRecommendations\n    skill_sequence: [{tasks}, os_optimizer]\n");
        return yaml.ToString();
    }
}
