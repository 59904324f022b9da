using System.Diagnostics;
using System.Globalization;
using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Data;
using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Demo;
using ProcessOptimizer.Solver.Ipopt;
using ProcessOptimizer.Storage.Database;

namespace ProcessOptimizer.Benchmarks;

/// <summary>The warm kiln cycle as the loop runs it: the data window read from SQLite, then the solve.</summary>
internal static class CycleReport
{
    public static async Task RunAsync(int repetitions)
    {
        var folder = Path.Combine(Path.GetTempPath(), "po-cycle-" + Guid.NewGuid().ToString("n"));
        try
        {
            var database = ProcessDatabase.Create(DatabaseKind.Sqlite, $"Data Source={Path.Combine(folder, "cycle.db")}");
            await database.MigrateAsync(CancellationToken.None);
            var history = ExampleHistory.Read(Path.Combine(Repository.Root, "examples", "kiln"));
            await new ProcessDataImporter(database).ImportAsync(history, CancellationToken.None);
            var source = new SqlProcessDataSource(database);
            var kiln = Fixtures.Kiln();
            using (kiln.Models)
            {
                var runner = new CycleRunner(new IpoptSolver());
                var tags = kiln.Strategy.RequiredTags.ToList();
                var at = history.Rows[3919].Timestamp;
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
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// The same cycle over the last windows of the history, one per minute, as the loop meets them: how much
    /// the branch and bound can rule out depends on where the constraint and the windows sit.
    /// </summary>
    private static async Task SweepAsync(CycleRunner runner, SqlProcessDataSource source, CompiledStrategy strategy, CsvTable history, int windows)
    {
        var tags = strategy.RequiredTags.ToList();
        var (times, iterations, solves) = (new List<double>(), new List<double>(), new List<double>());
        var (inIpopt, inCallbacks) = (new List<double>(), new List<double>());
        var feasible = 0;
        for (var w = 0; w < windows; w++)
        {
            var started = Stopwatch.GetTimestamp();
            var window = await source.ReadWindowAsync(tags, 86, history.Rows[history.Rows.Count - 1 - w].Timestamp, CancellationToken.None);
            var result = runner.Run(strategy, new CycleInput(window), new SolverSettings(), CancellationToken.None);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            iterations.Add(result.Solver.Sum(s => s.Iterations));
            inIpopt.Add(result.Solver.Sum(s => s.Seconds - s.CallbackSeconds) * 1000);
            inCallbacks.Add(result.Solver.Sum(s => s.CallbackSeconds) * 1000);
            solves.Add(result.Solver.Sum(s => s.Solves));
            feasible += result.Status == CycleStatus.Success ? 1 : 0;
        }

        static string Row(string name, List<double> values, string format)
        {
            var (median, p10, p90) = Spread.Of(values);
            string Text(double value) => value.ToString(format, CultureInfo.InvariantCulture);
            return $"| {name} | {Text(median)} | {Text(p10)}–{Text(p90)} | {Text(values[^1])} |";
        }

        Console.WriteLine();
        Console.WriteLine($"| the last {windows} windows of the history, one cycle each ({feasible} with a recommendation, the others infeasible) | median | p10–p90 | largest |");
        Console.WriteLine("| --- | --- | --- | --- |");
        Console.WriteLine(Row("whole cycle, ms", times, "F2"));
        Console.WriteLine(Row("inside IPOPT, ms", inIpopt, "F2"));
        Console.WriteLine(Row("our callbacks, ms", inCallbacks, "F2"));
        Console.WriteLine(Row("iterations", iterations, "F0"));
        Console.WriteLine(Row("solves (kink pieces not ruled out; on an infeasible minute every piece, then a solve without the cost from each of up to 6 starts)", solves, "F0"));
    }
}
