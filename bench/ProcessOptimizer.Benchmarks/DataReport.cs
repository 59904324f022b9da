using System.Diagnostics;
using System.Globalization;
using System.Text;
using ProcessOptimizer.Core.Data;
using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Storage.Database;
using ProcessOptimizer.Storage.Resilience;

namespace ProcessOptimizer.Benchmarks;

/// <summary>
/// Window-query and run-write times on 30 days of 1-minute data (43 200 rows, the kiln's 14 tags), in SQLite and,
/// when <c>PROCESS_OPTIMIZER_TEST_POSTGRES</c> names a server, in PostgreSQL.
/// </summary>
internal static class DataReport
{
    /// <summary>The kiln's 14 tags.</summary>
    internal static readonly string[] Tags =
    [
        "Burning_zone_temperature", "Calciner_temperature_PV", "Kiln_Coal_PV", "Kiln_Feed_SFF_1_Feed_rate", "Kiln_Feed_SFF_2_Feed_rate",
        "PH_Fan_Speed_PV", "Secondary_Air_Temperature", "Cooler_Fan_3_Flow", "Cooler_Fan_4_Flow", "Cooler_Fan_5_Flow",
        "Cooler_Fan_6_Flow", "Cooler_Fan_7_Flow", "Cooler_Fan_8_Flow", "Cooler_Fan_9_Flow",
    ];

    public static async Task RunAsync(int repetitions)
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var csv = new StringBuilder("timestamp," + string.Join(",", Tags) + "\n");
        var random = new Random(1);
        for (var m = 0; m < 30 * 24 * 60; m++)
        {
            csv.Append(start.AddMinutes(m).ToString("O", CultureInfo.InvariantCulture));
            foreach (var _ in Tags)
            {
                csv.Append(',').Append((1000 * random.NextDouble()).ToString("F3", CultureInfo.InvariantCulture));
            }

            csv.Append('\n');
        }

        var table = CsvTable.Read(new StringReader(csv.ToString()), "30-days");
        Console.WriteLine("| database | import 43 200 rows s | window query (90 rows × 14 tags) median ms (p10–p90) | run write (30 recommendations) median ms (p10–p90) |");
        Console.WriteLine("| --- | --- | --- | --- |");
        var folder = Path.Combine(Path.GetTempPath(), "po-bench-" + Guid.NewGuid().ToString("n"));
        try
        {
            var sqlite = $"Data Source={Path.Combine(folder, "bench.db")}";
            await MeasureAsync("SQLite", ProcessDatabase.Create(DatabaseKind.Sqlite, sqlite), ProcessDatabase.Create(DatabaseKind.Sqlite, sqlite, Bulk), table, start, repetitions);
            if (Environment.GetEnvironmentVariable("PROCESS_OPTIMIZER_TEST_POSTGRES") is { } postgres)
            {
                await MeasureAsync("PostgreSQL 15", ProcessDatabase.Create(DatabaseKind.Postgres, postgres), ProcessDatabase.Create(DatabaseKind.Postgres, postgres, Bulk), table, start, repetitions);
            }
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    // The import is one call of 43,200 rows: on a loaded machine it takes longer than the 5 s a cycle's call is given
    // (PostgreSQL's failed so at a load of 30), which says nothing about the database. Reads and writes keep the
    // service's own limits.
    private static readonly DatabaseOptions Bulk = new() { Resilience = new ResilienceOptions { Timeout = TimeSpan.FromMinutes(5) } };

    private static async Task MeasureAsync(string name, ProcessDatabase database, ProcessDatabase bulk, CsvTable table, DateTimeOffset start, int repetitions)
    {
        await database.MigrateAsync(CancellationToken.None);
        var import = Stopwatch.StartNew();
        await new ProcessDataImporter(bulk).ImportAsync(table, CancellationToken.None);
        import.Stop();
        var source = new SqlProcessDataSource(database);
        var store = new SqlRunStore(database);
        var random = new Random(2);
        var reads = await TimeAsync(repetitions, async () =>
        {
            using var window = await source.ReadWindowAsync(Tags, 90, start.AddMinutes(random.Next(100, 43_000)), CancellationToken.None);
            return window.Count;
        });
        var run = new RunRecord
        {
            StrategyName = "bench", StrategyVersion = "1.0.0", StartedAt = start, FinishedAt = start.AddMilliseconds(5), Outcome = RunOutcome.Success,
            DataTimestamp = start, Recommendations = [.. Enumerable.Range(0, 30).Select(i => new Recommendation($"v{i}", i, i + 1, 1, "t/h"))],
        };
        var writes = await TimeAsync(repetitions, () => store.SaveAsync(run, CancellationToken.None));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {import.Elapsed.TotalSeconds:F2} | {reads}| {writes}|"));
    }

    private static async Task<string> TimeAsync<T>(int repetitions, Func<Task<T>> work)
    {
        for (var i = 0; i < 5; i++)
        {
            await work();
        }

        var times = new List<double>();
        for (var i = 0; i < repetitions; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await work();
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        var (median, p10, p90) = Spread.Of(times);
        return string.Create(CultureInfo.InvariantCulture, $"{median:F2} ({p10:F2}–{p90:F2}) ");
    }
}
