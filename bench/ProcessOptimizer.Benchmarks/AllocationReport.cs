using System.Diagnostics;
using System.Globalization;
using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Solver.Ipopt;

namespace ProcessOptimizer.Benchmarks;

/// <summary>
/// Garbage collections and managed bytes over many warm kiln cycles on the example's latest window (read from
/// SQLite each time, as the loop does), split by where they are allocated, and the CPU time per cycle. Bytes and
/// collections do not depend on the machine's load, so builds can be compared on a busy machine. With
/// <c>types</c>, the runtime's allocation samples by type follow (all threads, one sample about every 100 KB).
/// </summary>
internal static class AllocationReport
{
    public static async Task RunAsync(int cycles, bool byType)
    {
        using var history = await KilnHistory.ImportAsync("alloc");
        var source = history.Source;
        var kiln = Fixtures.Kiln();
        using (kiln.Models)
        {
            var recorder = new AllocationRecorder(new IpoptSolver());
            var runner = new CycleRunner(recorder);
            var tags = kiln.Strategy.RequiredTags.ToList();
            var at = history.Latest;
            for (var i = 0; i < 50; i++)
            {
                using var window = await source.ReadWindowAsync(tags, 86, at, CancellationToken.None);
                runner.Run(kiln.Strategy, new CycleInput(window), new SolverSettings(), CancellationToken.None);
            }

            var (solveBytes, callbackBytes, solves, callbacks) = (recorder.SolveBytes, recorder.CallbackBytes, recorder.Solves, recorder.Callbacks);
            var (readBytes, cycleBytes) = (0L, 0L);
            var iterations = 0L;
            var wall = new List<double>(cycles);
            // The count starts from an empty generation 0, so that it does not depend on where the warm-up left it.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var gcs = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
            var cpu = Environment.CpuUsage.TotalTime;
            // Its events arrive on a thread of their own, so it changes neither this thread's bytes nor the counts much.
            using var sampler = byType ? new AllocationSampler() : null;
            sampler?.Enabled = true;
            for (var i = 0; i < cycles; i++)
            {
                var started = Stopwatch.GetTimestamp();
                var before = GC.GetAllocatedBytesForCurrentThread();
                var window = await source.ReadWindowAsync(tags, 86, at, CancellationToken.None);
                var read = GC.GetAllocatedBytesForCurrentThread();
                var result = runner.Run(kiln.Strategy, new CycleInput(window), new SolverSettings(), CancellationToken.None);
                // As the loop does once the cycle is over: the window goes back to the source for the next read.
                window.Dispose();
                cycleBytes += GC.GetAllocatedBytesForCurrentThread() - read;
                readBytes += read - before;
                // By index: a LINQ sum boxed an enumerator per cycle, collected with the cycle's bytes.
                for (var s = 0; s < result.Solver.Count; s++)
                {
                    iterations += result.Solver[s].Iterations;
                }

                wall.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            sampler?.Enabled = false;
            var cpuPerCycle = (Environment.CpuUsage.TotalTime - cpu).TotalMilliseconds / cycles;
            var collections = (GC.CollectionCount(0) - gcs.Item1, GC.CollectionCount(1) - gcs.Item2, GC.CollectionCount(2) - gcs.Item3);
            (solveBytes, callbackBytes, solves, callbacks) = (recorder.SolveBytes - solveBytes, recorder.CallbackBytes - callbackBytes, recorder.Solves - solves, recorder.Callbacks - callbacks);
            double PerCycle(long bytes) => bytes / (double)cycles;
            var (median, p10, p90) = Spread.Of(wall);
            string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
            Console.WriteLine(F($"{cycles} warm kiln cycles on the latest window ({iterations / (double)cycles:F1} iterations, {solves / (double)cycles:F1} solves and {callbacks / (double)cycles:F0} callbacks per cycle), load average {ProcStat.LoadAverage()}"));
            Console.WriteLine();
            Console.WriteLine("| per warm kiln cycle | bytes allocated (this thread) |");
            Console.WriteLine("| --- | --- |");
            Console.WriteLine(F($"| reading the window (SQLite, 86 rows × {tags.Count} tags) | {PerCycle(readBytes):N0} |"));
            Console.WriteLine(F($"| the cycle (state, pieces, solves, publishing, result) | {PerCycle(cycleBytes):N0} |"));
            Console.WriteLine(F($"|   of which inside the solver's solves | {PerCycle(solveBytes):N0} |"));
            Console.WriteLine(F($"|     of which in our callbacks | {PerCycle(callbackBytes):N0} |"));
            Console.WriteLine(F($"|   of which outside the solves | {PerCycle(cycleBytes - solveBytes):N0} |"));
            Console.WriteLine();
            Console.WriteLine(F($"Garbage collections over the {cycles} cycles: {collections.Item1} of generation 0, {collections.Item2} of generation 1, {collections.Item3} of generation 2."));
            Console.WriteLine(F($"CPU time per cycle (whole process): {cpuPerCycle:F2} ms; wall time per cycle {median:F2} ms (p10–p90 {p10:F2}–{p90:F2})."));
            sampler?.Print(cycles);
        }
    }
}
