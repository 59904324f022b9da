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
    // Cycles of the latest window, then passes over the sweep's windows, run unmeasured before the steady state:
    // enough for every method of both paths to reach the tiered JIT's last tier, as in a service up for hours.
    private const int SettleCycles = 1000;
    // Warm-up cycles before the first table: about what a once-a-minute loop has run in its first half hour.
    private const int FirstWarmup = 30;
    private const int SettlePasses = 10;

    public static async Task RunAsync(int repetitions)
    {
        using var imported = await KilnHistory.ImportAsync("cycle");
        var (history, source) = (imported.Table, imported.Source);
        var kiln = Fixtures.Kiln();
        using (kiln.Models)
        {
            var runner = new CycleRunner(new IpoptSolver());
            var at = imported.Latest;
            // The loop's first half hour: a once-a-minute cycle has run about as often as these before it is measured,
            // so much of its code is still in the JIT's first tiers.
            var collections = (Gen0: GC.CollectionCount(0), Gen1: GC.CollectionCount(1));
            var latest = await LatestAsync(runner, source, kiln.Strategy, at, FirstWarmup, repetitions);
            // Counted before the sweep, whose cycles are not these.
            var allocation = string.Create(CultureInfo.InvariantCulture,
                $"Managed allocation per cycle (this thread): {Spread.Of(latest.Allocated).Median:F0} KB; garbage collections during the {repetitions + FirstWarmup} cycles: {GC.CollectionCount(0) - collections.Gen0} of generation 0, {GC.CollectionCount(1) - collections.Gen1} of generation 1.");
            latest.Print($"kiln cycle, warm, after {repetitions + FirstWarmup} cycles");
            var (cold, warm) = await SweepAsync(runner, source, kiln.Strategy, history, repetitions, withCold: true);
            PrintSweep(repetitions, cold, ("cold", cold), ("warm (the loop's warm start)", warm));
            Console.WriteLine();
            Console.WriteLine(allocation);

            // The steady state of a service that has run for hours: the same measurements once the JIT has settled.
            var settled = await LatestAsync(runner, source, kiln.Strategy, at, SettleCycles, repetitions);
            for (var pass = 1; pass < SettlePasses; pass++)
            {
                await SweepAsync(runner, source, kiln.Strategy, history, repetitions, withCold: false);
            }

            var (_, steady) = await SweepAsync(runner, source, kiln.Strategy, history, repetitions, withCold: false);
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Steady state: the latest window's table after {SettleCycles:N0} more cycles of it; the sweep's after {SettlePasses - 1} more unmeasured warm passes over its {repetitions} windows."));
            Console.WriteLine();
            settled.Print("kiln cycle, warm, steady state");
            PrintSweep(repetitions, steady, ("warm (the loop's warm start), steady state", steady));
        }
    }

    // The latest window, repeatedly: warm-up cycles unmeasured, then the measured ones, each split into its parts.
    private static async Task<LatestFigures> LatestAsync(CycleRunner runner, SqlProcessDataSource source, CompiledStrategy strategy, DateTimeOffset at, int warmup, int repetitions)
    {
        var tags = strategy.RequiredTags.ToList();
        var figures = new LatestFigures();
        for (var i = -warmup; i < repetitions; i++)
        {
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            var started = Stopwatch.GetTimestamp();
            var window = await source.ReadWindowAsync(tags, 86, at, CancellationToken.None);
            var afterRead = Stopwatch.GetTimestamp();
            var result = runner.Run(strategy, new CycleInput(window), new SolverSettings(), CancellationToken.None);
            window.Dispose();
            if (i >= 0)
            {
                figures.Add(result, started, afterRead, GC.GetAllocatedBytesForCurrentThread() - allocatedBefore);
            }
        }

        return figures;
    }

    private static void PrintSweep(int windows, SweepFigures counted, params (string Name, SweepFigures Figures)[] columns)
    {
        Console.WriteLine();
        Console.WriteLine($"| the last {windows} windows of the history, one cycle each ({counted.Feasible} with a recommendation, the others infeasible), median (p10–p90) | {string.Join(" | ", columns.Select(c => c.Name))} |");
        Console.WriteLine($"| --- |{string.Concat(columns.Select(_ => " --- |"))}");
        foreach (var (name, pick, format) in SweepFigures.Rows)
        {
            Console.WriteLine($"| {name} | {string.Join(" | ", columns.Select(c => SweepFigures.Text(pick(c.Figures), format)))} |");
        }
    }

    /// <summary>
    /// The same cycle over the last windows of the history, one per minute in time order, as the loop meets them:
    /// cold (every cycle on its own) and warm (each from the previous warm cycle, as the service's loop keeps it),
    /// the two alternated minute by minute so that the machine's load falls on both alike.
    /// </summary>
    private static async Task<(SweepFigures Cold, SweepFigures Warm)> SweepAsync(CycleRunner runner, SqlProcessDataSource source, CompiledStrategy strategy, CsvTable history, int windows, bool withCold)
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

            if (withCold)
            {
                cold.Add(await TimedAsync(() => CycleAsync(null)));
            }

            var next = await TimedAsync(() => CycleAsync(previous));
            previous = next.Result.Next;
            warm.Add(next);
        }

        return (cold, warm);
    }

    private static async Task<(CycleResult Result, double Milliseconds, double CpuMilliseconds)> TimedAsync(Func<Task<CycleResult>> cycle)
    {
        var cpu = Environment.CpuUsage.TotalTime;
        var started = Stopwatch.GetTimestamp();
        var result = await cycle();
        return (result, Stopwatch.GetElapsedTime(started).TotalMilliseconds, (Environment.CpuUsage.TotalTime - cpu).TotalMilliseconds);
    }
}
