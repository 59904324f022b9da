using System.Diagnostics;
using System.Globalization;
using System.Text;
using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Models;
using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Core.Strategies;
using ProcessOptimizer.Solver.Ipopt;

namespace ProcessOptimizer.Benchmarks;

/// <summary>
/// Solve time, iterations, structural non-zeros and memory of generated strategies: n decision variables with a
/// quadratic move cost in groups of 16, and m models of 4 inputs each whose outputs enter the cost and are each bounded.
/// </summary>
internal static class ScalingReport
{
    /// <param name="largest">The largest number of decision variables to run (the sizes are 4, 16, 64, 256 and 1,000).</param>
    public static void Run(int repetitions, int largest = 1000)
    {
        var solver = new StructureRecorder(new IpoptSolver());
        var runner = new CycleRunner(solver);
        Console.WriteLine("| decision variables | models | status | iterations | median ms | p10–p90 ms | callbacks % | Jacobian + Hessian non-zeros | MB allocated per cycle | CPU ms per cycle | compile ms |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var n in new[] { 4, 16, 64, 256, 1000 }.Where(n => n <= largest))
        {
            foreach (var m in new[] { 1, 4, 16 })
            {
                var compile = Stopwatch.StartNew();
                var (strategy, problems) = StrategyLoader.Read(Strategy(n, m));
                if (strategy is null)
                {
                    throw new InvalidOperationException(string.Join("; ", problems));
                }

                var models = Enumerable.Range(0, m).ToDictionary(j => $"im_{j}", j => (IModel)new SyntheticModel(4, j));
                var compiled = StrategyCompiler.Compile(strategy, models);
                var input = CycleInput.FromSingleRow(Enumerable.Range(0, n).ToDictionary(i => $"x{i}", i => (double?)(0.1 * (i % 7))));
                var first = runner.Run(compiled, input, new SolverSettings(), CancellationToken.None);
                compile.Stop();
                // Enough warm cycles for the JIT's second tier, as in the suite: with a handful of cycles the first
                // tier's code was most of what the table measured.
                for (var w = 0; w < 30; w++)
                {
                    runner.Run(compiled, input, new SolverSettings(), CancellationToken.None);
                }

                var times = new List<double>();
                var last = first;
                var allocated = GC.GetAllocatedBytesForCurrentThread();
                var cpu = Environment.CpuUsage.TotalTime;
                for (var r = 0; r < repetitions; r++)
                {
                    var started = Stopwatch.GetTimestamp();
                    last = runner.Run(compiled, input, new SolverSettings(), CancellationToken.None);
                    times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }

                var cpuPerCycle = (Environment.CpuUsage.TotalTime - cpu).TotalMilliseconds / repetitions;
                var perCycle = (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)repetitions / 1048576;
                var (median, p10, p90) = Spread.Of(times);
                var report = last.Solver.Single();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {n} | {m} | {report.Status} | {report.Iterations} | {median:F1} | {p10:F1}–{p90:F1} | {100 * report.CallbackSeconds / report.Seconds:F0} | {solver.Jacobian:N0} + {solver.Hessian:N0} | {perCycle:F2} | {cpuPerCycle:F1} | {compile.Elapsed.TotalMilliseconds:F0} |"));
            }
        }
    }

    private static string Strategy(int n, int m)
    {
        var text = new StringBuilder("variables:\n");
        for (var i = 0; i < n; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"  x{i}: {{type: Operative, threshold: 1, min_hard_limit: -10, max_hard_limit: 10}}\n");
        }

        var groups = (n + 15) / 16;
        for (var g = 0; g < groups; g++)
        {
            text.Append(CultureInfo.InvariantCulture, $"  group{g}: {{type: CalculatedKPI}}\n");
        }

        for (var j = 0; j < m; j++)
        {
            text.Append(CultureInfo.InvariantCulture, $"  delta_y{j}: {{type: Delta}}\n");
        }

        text.Append("  cost: {type: CalculatedKPI}\nskills:\n");
        var sequence = new List<string>();
        for (var g = 0; g < groups; g++)
        {
            var members = Enumerable.Range(16 * g, Math.Min(16, n - (16 * g))).ToList();
            text.Append(CultureInfo.InvariantCulture, $"  mf_group{g}:\n    class: MathFunction\n    inputs: [{string.Join(", ", members.Select(i => $"x{i}"))}]\n    outputs: [group{g}]\n");
            text.Append(CultureInfo.InvariantCulture, $"    config:\n      formula: {string.Join(" + ", members.Select(i => $"(x{i} - {0.3 * ((i % 5) - 2):R})**2"))}\n");
            sequence.Add($"mf_group{g}");
        }

        for (var j = 0; j < m; j++)
        {
            var inputs = Enumerable.Range(0, 4).Select(k => $"x{((4 * j) + k) % n}").Distinct().ToList();
            while (inputs.Count < 4)
            {
                inputs.Add($"x{inputs.Count}");
                inputs = [.. inputs.Distinct()];
            }

            text.Append(CultureInfo.InvariantCulture, $"  im_{j}:\n    class: InferenceModel\n    inputs: [{string.Join(", ", inputs)}]\n    outputs: [delta_y{j}]\n");
            text.Append("    config: {model_path: synthetic.onnx, scaler_path: synthetic.json}\n");
            sequence.Add($"im_{j}");
        }

        var terms = Enumerable.Range(0, groups).Select(g => $"group{g}").Concat(Enumerable.Range(0, m).Select(j => $"0.5 * delta_y{j}"));
        var costInputs = Enumerable.Range(0, groups).Select(g => $"group{g}").Concat(Enumerable.Range(0, m).Select(j => $"delta_y{j}"));
        text.Append(CultureInfo.InvariantCulture, $"  mf_cost:\n    class: MathFunction\n    inputs: [{string.Join(", ", costInputs)}]\n    outputs: [cost]\n    config:\n      formula: {string.Join(" + ", terms)}\n");
        sequence.Add("mf_cost");
        var all = string.Join(", ", Enumerable.Range(0, n).Select(i => $"x{i}"));
        text.Append(CultureInfo.InvariantCulture, $"  cs_cost:\n    class: CompositionSkill\n    config:\n      skill_sequence: [{string.Join(", ", sequence)}]\n");
        text.Append(CultureInfo.InvariantCulture, $"  bounds:\n    class: Bounds\n    inputs: [{all}]\n  constraints:\n    class: Constraints\n    config:\n      template:\n");
        for (var j = 0; j < m; j++)
        {
            text.Append(CultureInfo.InvariantCulture, $"        - {{predicted_var: delta_y{j}, op_min: -0.2, op_max: 0.2}}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"  optimizer:\n    class: OptimizationSkill\n    inputs: [{all}]\n    config: {{cost_skill_name: cs_cost, cost_feature_name: cost}}\n");
        text.Append("tasks:\n  - name: CalculateRecommendations\n    skill_sequence: [bounds, constraints, optimizer]\n");
        return text.ToString();
    }
}
