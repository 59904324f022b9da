using System.Globalization;
using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Demo;
using ProcessOptimizer.Solver.Ipopt;

namespace ProcessOptimizer.Benchmarks;

/// <summary>
/// Warm starts on the kiln as the loop would use them: every solve of one cycle (the kink pieces) started
/// from the same solve of the cycle a minute earlier, its point and multipliers, against the usual cold start.
/// </summary>
internal static class WarmStartReport
{
    // IPOPT's own advice for warm starts: keep the given point and multipliers where they are, and start with a small barrier.
    private static readonly Dictionary<string, object> Tight = new()
    {
        ["warm_start_bound_push"] = 1e-9,
        ["warm_start_slack_bound_push"] = 1e-9,
        ["warm_start_mult_bound_push"] = 1e-9,
        ["mu_init"] = 1e-6,
    };

    public static void Run(int cycles)
    {
        var history = ExampleHistory.Read(Path.Combine(Repository.Root, "examples", "kiln"));
        var kiln = Fixtures.Kiln();
        using (kiln.Models)
        {
            CycleInput WindowEndingAt(int last) => new([.. history.Rows.Skip(last - 85).Take(86).Select(r =>
                new ProcessRow(r.Timestamp, history.Columns.Zip(r.Values).ToDictionary(p => p.First, p => p.Second)))]);

            Console.WriteLine("| start | cycles | iterations per cycle, median | IPOPT ms per cycle, median (p10–p90) | same recommendation as cold |");
            Console.WriteLine("| --- | --- | --- | --- | --- |");
            foreach (var (name, warm, options) in new[] { ("cold (the service today)", false, new Dictionary<string, object>()), ("warm, IPOPT defaults", true, []), ("warm, tight pushes, mu_init 1e-6", true, Tight) })
            {
                var (iterations, times, same) = (new List<double>(), new List<double>(), 0);
                for (var c = 0; c < cycles + 5; c++)
                {
                    var last = history.Rows.Count - 1 - cycles - 5 + c;
                    var previous = new RecordingSolver(new IpoptSolver());
                    new CycleRunner(previous).Run(kiln.Strategy, WindowEndingAt(last - 1), new SolverSettings(), CancellationToken.None);
                    var cold = new CycleRunner(new IpoptSolver()).Run(kiln.Strategy, WindowEndingAt(last), new SolverSettings(), CancellationToken.None);
                    var current = new RecordingSolver(new IpoptSolver()) { WarmFrom = warm ? previous.Solutions : null };
                    var result = new CycleRunner(current).Run(kiln.Strategy, WindowEndingAt(last), new SolverSettings { Options = options }, CancellationToken.None);
                    if (c < 5)
                    {
                        continue;
                    }

                    iterations.Add(current.Solutions.Sum(s => s.Iterations));
                    times.Add(current.Solutions.Sum(s => s.Seconds - s.CallbackSeconds) * 1000);
                    same += result.Variables.Zip(cold.Variables).All(p => Math.Abs(p.First.Recommended - p.Second.Recommended) <= 1e-6 * Math.Max(1, Math.Abs(p.Second.Recommended))) ? 1 : 0;
                }

                var (median, p10, p90) = Spread.Of(times);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {cycles} | {Spread.Of(iterations).Median:F0} | {median:F2} ({p10:F2}–{p90:F2}) | {same} of {cycles} |"));
            }
        }
    }

    /// <summary>Keeps every solution; with <see cref="WarmFrom"/>, starts the i-th solve from the i-th earlier one.</summary>
    private sealed class RecordingSolver(INonlinearSolver inner) : INonlinearSolver
    {
        public List<Solution> Solutions { get; } = [];

        public IReadOnlyList<Solution>? WarmFrom { get; init; }

        public string Name => inner.Name;

        public Solution Solve(INonlinearProgram program, SolverSettings settings, SolutionStorage storage, CancellationToken cancellationToken)
        {
            var index = Solutions.Count;
            if (WarmFrom is { } earlier && index < earlier.Count && earlier[index] is { Multipliers: { } multipliers } start
                && start.X.Length == program.Shape.VariableCount && multipliers.Constraints.Length == program.Shape.ConstraintCount)
            {
                (program, settings) = (new RestartedProgram(program, start.X), settings with { WarmStart = multipliers });
            }

            var solution = inner.Solve(program, settings, storage, cancellationToken);
            Solutions.Add(solution);
            return solution;
        }

        public string? ValidateOption(string name, object value) => inner.ValidateOption(name, value);
    }
}
