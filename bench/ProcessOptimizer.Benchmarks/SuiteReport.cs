using System.Diagnostics;
using System.Globalization;
using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Solver.Ipopt;

namespace ProcessOptimizer.Benchmarks;

/// <summary>
/// A table BenchmarkDotNet cannot give: per problem, the iterations and the median (p10–p90) time of a warm
/// in-process cycle, and the share of the solve spent in our callbacks. Every problem runs in the same
/// process, in one run, so ratios between rows are meaningful on a noisy machine.
/// </summary>
internal static class SuiteReport
{
    public static void Run(int repetitions, IReadOnlyDictionary<string, object> options)
    {
        var runner = new CycleRunner(new IpoptSolver());
        Console.WriteLine("| problem | Hessian | status | iterations | median ms | p10–p90 ms | callbacks % |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- |");
        var names = Directory.GetFiles(Repository.HockSchittkowski, "hs*.yaml").Select(Path.GetFileNameWithoutExtension).Order().ToList();
        foreach (var name in names)
        {
            var (strategy, input) = Fixtures.HockSchittkowski(name!);
            foreach (var exact in new[] { true, false })
            {
                Measure(name!, () => runner.Run(strategy, input, new SolverSettings { UseExactHessian = exact, Options = options }, CancellationToken.None), repetitions);
            }
        }

        foreach (var exactModel in new[] { true, false })
        {
            var kiln = Fixtures.Kiln(exactModel);
            using (kiln.Models)
            {
                foreach (var exact in new[] { true, false })
                {
                    Measure(exactModel ? "kiln (exact model)" : "kiln (ONNX Runtime, differences)", () => runner.Run(kiln.Strategy, kiln.Input, new SolverSettings { UseExactHessian = exact, Options = options }, CancellationToken.None), repetitions);
                }
            }
        }
    }

    private static void Measure(string name, Func<CycleResult> cycle, int repetitions)
    {
        // Enough warm-up runs for the JIT's second tier to replace the first one's code.
        var last = cycle();
        for (var i = 0; i < 30; i++)
        {
            cycle();
        }

        var times = new List<double>();
        for (var i = 0; i < repetitions; i++)
        {
            var started = Stopwatch.GetTimestamp();
            last = cycle();
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        var (median, p10, p90) = Spread.Of(times);
        var solver = last.Solver.Single();
        var share = solver.Seconds > 0 ? 100 * solver.CallbackSeconds / solver.Seconds : 0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {solver.Hessian} | {solver.Status} | {solver.Iterations} | {median:F2} | {p10:F2}–{p90:F2} | {share:F0} |"));
    }
}
