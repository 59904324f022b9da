using System.Diagnostics;
using System.Globalization;
using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Solver.Ipopt;

namespace ProcessOptimizer.Benchmarks;

/// <summary>Resident memory over many warm kiln cycles in one process: growth from cycle 1 000 to the last.</summary>
internal static class MemoryReport
{
    public static void Run(int cycles)
    {
        var runner = new CycleRunner(new IpoptSolver());
        var kiln = Fixtures.Kiln();
        using (kiln.Models)
        {
            double? baseline = null;
            var started = Stopwatch.StartNew();
            Console.WriteLine("| cycles | resident MB | managed heap MB |");
            Console.WriteLine("| --- | --- | --- |");
            for (var i = 1; i <= cycles; i++)
            {
                runner.Run(kiln.Strategy, kiln.Input, new SolverSettings(), CancellationToken.None);
                if (i == 1000 || i % 2500 == 0 || i == cycles)
                {
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    var resident = Process.GetCurrentProcess().WorkingSet64 / 1048576.0;
                    baseline ??= resident;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {i} | {resident:F1} | {GC.GetTotalMemory(false) / 1048576.0:F1} |"));
                }
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"growth from cycle 1000: {100 * ((Process.GetCurrentProcess().WorkingSet64 / 1048576.0) - baseline!.Value) / baseline.Value:F1} % over {started.Elapsed.TotalSeconds:F0} s"));
        }
    }
}
