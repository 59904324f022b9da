using System.Diagnostics;
using System.Globalization;
using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Data;
using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Solver.Ipopt;
using ProcessOptimizer.Storage.Database;

namespace ProcessOptimizer.Benchmarks;

/// <summary>The warm kiln cycle as the loop runs it: the data window read from SQLite, then the solve.</summary>
internal static class CycleReport
{
    public static async Task RunAsync(int repetitions)
    {
        using var imported = await KilnHistory.ImportAsync("cycle");
        var (history, source) = (imported.Table, imported.Source);
        var kiln = Fixtures.Kiln();
        using (kiln.Models)
        {
            var runner = new CycleRunner(new IpoptSolver());
            var tags = kiln.Strategy.RequiredTags.ToList();
            var at = imported.Latest;
            var (read, solve, total) = (new List<double>(), new List<double>(), new List<double>());
            var (inIpopt, inCallbacks, outside) = (new List<double>(), new List<double>(), new List<double>());
            var allocated = new List<double>();
            var collections = (Gen0: 0, Gen1: 0);
            for (var i = -30; i < repetitions; i++)
            {
                if (i == 0)
                {
                    collections = (GC.CollectionCount(0), GC.CollectionCount(1));
                }

                var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
                var started = Stopwatch.GetTimestamp();
                var window = await source.ReadWindowAsync(tags, 86, at, CancellationToken.None);
                var afterRead = Stopwatch.GetTimestamp();
                var result = runner.Run(kiln.Strategy, new CycleInput(window), new SolverSettings(), CancellationToken.None);
                window.Dispose();
                if (i >= 0)
                {
                    var (seconds, callbacks) = (result.Solver.Sum(s => s.Seconds), result.Solver.Sum(s => s.CallbackSeconds));
                    allocated.Add((GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / 1024.0);
                    inIpopt.Add((seconds - callbacks) * 1000);
                    inCallbacks.Add(callbacks * 1000);
                    outside.Add(Stopwatch.GetElapsedTime(afterRead).TotalMilliseconds - (seconds * 1000));
                    read.Add(Stopwatch.GetElapsedTime(started, afterRead).TotalMilliseconds);
                    solve.Add(Stopwatch.GetElapsedTime(afterRead).TotalMilliseconds);
                    total.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }

            Console.WriteLine("| kiln cycle, warm | median ms | p10–p90 ms |");
            Console.WriteLine("| --- | --- | --- |");
            foreach (var (name, times) in new[]
            {
                ("window read (SQLite)", read), ("solve", solve), ("  of which inside IPOPT", inIpopt), ("  of which our callbacks", inCallbacks),
                ("  of which the rest (features, branch fixing, polish, result)", outside), ("whole cycle", total),
            })
            {
                var (median, p10, p90) = Spread.Of(times);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {median:F2} | {p10:F2}–{p90:F2} |"));
            }

            // Counted before the sweep, whose cycles are not these.
            var allocation = string.Create(CultureInfo.InvariantCulture,
                $"Managed allocation per cycle (this thread): {Spread.Of(allocated).Median:F0} KB; garbage collections during the {repetitions} cycles: {GC.CollectionCount(0) - collections.Gen0} of generation 0, {GC.CollectionCount(1) - collections.Gen1} of generation 1.");
            await SweepAsync(runner, source, kiln.Strategy, history, repetitions);
            Console.WriteLine();
            Console.WriteLine(allocation);
        }
    }

    /// <summary>
    /// The same cycle over the last windows of the history, one per minute in time order, as the loop meets them:
    /// cold (every cycle on its own) and warm (each from the previous warm cycle, as the service's loop keeps it),
    /// the two alternated minute by minute so that the machine's load falls on both alike.
    /// </summary>
    private static async Task SweepAsync(CycleRunner runner, SqlProcessDataSource source, CompiledStrategy strategy, CsvTable history, int windows)
    {
        var tags = strategy.RequiredTags.ToList();
        var (cold, warm) = (new SweepFigures(), new SweepFigures());
        CycleWarmStart? previous = null;
        for (var w = windows - 1; w >= 0; w--)
        {
            var at = history.Rows[history.Rows.Count - 1 - w].Timestamp;
            async Task<CycleResult> CycleAsync(CycleWarmStart? from)
            {
                using var window = await source.ReadWindowAsync(tags, 86, at, CancellationToken.None);
                return runner.Run(strategy, new CycleInput(window), new SolverSettings { Previous = from }, CancellationToken.None);
            }

            cold.Add(await TimedAsync(() => CycleAsync(null)));
            var next = await TimedAsync(() => CycleAsync(previous));
            previous = next.Result.Next;
            warm.Add(next);
        }

        Console.WriteLine();
        Console.WriteLine($"| the last {windows} windows of the history, one cycle each ({cold.Feasible} with a recommendation, the others infeasible), median (p10–p90) | cold | warm (the loop's warm start) |");
        Console.WriteLine("| --- | --- | --- |");
        foreach (var (name, pick, format) in SweepFigures.Rows)
        {
            Console.WriteLine($"| {name} | {SweepFigures.Text(pick(cold), format)} | {SweepFigures.Text(pick(warm), format)} |");
        }
    }

    private static async Task<(CycleResult Result, double Milliseconds, double CpuMilliseconds)> TimedAsync(Func<Task<CycleResult>> cycle)
    {
        var cpu = Environment.CpuUsage.TotalTime;
        var started = Stopwatch.GetTimestamp();
        var result = await cycle();
        return (result, Stopwatch.GetElapsedTime(started).TotalMilliseconds, (Environment.CpuUsage.TotalTime - cpu).TotalMilliseconds);
    }
}
