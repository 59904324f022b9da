using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace ProcessOptimizer.Benchmarks;

/// <summary>
/// <c>import-data</c> of a year of 1-minute data (525 600 rows × the kiln's 14 tags, a 99 MB CSV) as a user runs
/// it, by two builds of the service side by side (the previous one and this one), alternated in each round, into a
/// fresh SQLite file and, when <c>PROCESS_OPTIMIZER_TEST_POSTGRES</c> names a server, a fresh PostgreSQL database.
/// </summary>
/// <remarks>
/// The peak memory is the importing process's own high-water mark (<c>VmHWM</c> in <c>/proc/PID/status</c>), read
/// every 20 ms while it runs: the mark never falls, so at most the growth of the last 20 ms can be missed. The CPU
/// time (user + system) comes from the same samples; unlike the wall time it does not grow with the machine's load.
/// </remarks>
internal static class ImportReport
{
    private const int Rows = 525_600;
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static async Task RunAsync(IReadOnlyList<(string Name, string Dll)> builds, int rounds)
    {
        var work = Directory.CreateTempSubdirectory("po-import-bench-").FullName;
        try
        {
            var csv = Path.Combine(work, "year.csv");
            WriteYear(csv);
            var postgres = Environment.GetEnvironmentVariable("PROCESS_OPTIMIZER_TEST_POSTGRES");
            var results = new Dictionary<(string Database, string Build), List<Sample>>();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"CSV: {Rows} rows × 14 tags, {new FileInfo(csv).Length / 1e6:F0} MB; {Environment.ProcessorCount} cores, load average {ProcStat.LoadAverage()} at the start"));
            for (var round = 0; round < rounds; round++)
            {
                foreach (var (name, dll) in round % 2 == 0 ? builds : builds.Reverse())
                {
                    var sqlite = Path.Combine(work, $"{name}-{round}.db");
                    Add(results, ("SQLite", name), await ImportAsync(dll, csv, ["--Database:Kind=sqlite", $"--Database:ConnectionString=Data Source={sqlite}"]));
                    if (postgres is not null)
                    {
                        Add(results, ("PostgreSQL", name), await ImportIntoFreshPostgresAsync(dll, csv, postgres));
                    }
                }
            }

            Console.WriteLine("| database | build | wall s, median (min–max) | rows/s | CPU s, median | peak resident MB (VmHWM), max |");
            Console.WriteLine("| --- | --- | --- | --- | --- | --- |");
            foreach (var ((database, build), samples) in results)
            {
                var wall = samples.Select(s => s.WallSeconds).Order().ToList();
                var median = wall[wall.Count / 2];
                var cpu = samples.Select(s => s.CpuSeconds).Order().ToList()[samples.Count / 2];
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {database} | {build} | {median:F2} ({wall[0]:F2}–{wall[^1]:F2}) | {Rows / median:F0} | {cpu:F2} | {samples.Max(s => s.PeakBytes) / 1048576.0:F0} |"));
            }

            Console.WriteLine($"load average after: {ProcStat.LoadAverage()}");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static void Add(Dictionary<(string, string), List<Sample>> results, (string, string) key, Sample sample)
    {
        if (!results.TryGetValue(key, out var list))
        {
            results[key] = list = [];
        }

        list.Add(sample);
    }

    private static async Task<Sample> ImportIntoFreshPostgresAsync(string dll, string csv, string server)
    {
        var name = "po_import_bench_" + Guid.NewGuid().ToString("n");
        await using var admin = new NpgsqlConnection(server);
        await admin.OpenAsync();
        await using (var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin))
        {
            await create.ExecuteNonQueryAsync();
        }

        try
        {
            var target = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
            return await ImportAsync(dll, csv, ["--Database:Kind=postgres", $"--Database:ConnectionString={target}"]);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }

    // A long timeout: the previous build wrote the whole file as one guarded call, which the default 5 s limit
    // cuts short on a loaded machine; this build's streamed import has no per-call limit.
    private static async Task<Sample> ImportAsync(string dll, string csv, IReadOnlyList<string> database)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { dll, "import-data", "--csv", csv, "--Database:TimeoutSeconds=1000" }.Concat(database))
        {
            info.ArgumentList.Add(arg);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        long peak = 0;
        double cpu = 0;
        while (!process.HasExited)
        {
            peak = Math.Max(peak, ProcStat.PeakResident(process.Id) ?? 0);
            cpu = ProcStat.CpuSeconds(process.Id) ?? cpu;
            await Task.Delay(20);
        }

        await process.WaitForExitAsync();
        var wall = clock.Elapsed.TotalSeconds;
        if (process.ExitCode != 0 || !(await output).Contains($"imported {Rows} rows", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{dll} import-data exited with {process.ExitCode}: {await error}{await output}");
        }

        return new Sample(wall, cpu, peak);
    }

    // Timestamps in the round-trip format and values with six decimals: 99 MB for the year, as in issue 19.
    private static void WriteYear(string path)
    {
        var random = new Random(19);
        using var writer = new StreamWriter(path);
        writer.WriteLine("timestamp," + string.Join(',', DataReport.Tags));
        for (var m = 0; m < Rows; m++)
        {
            writer.Write(Start.AddMinutes(m).ToString("O", CultureInfo.InvariantCulture));
            foreach (var _ in DataReport.Tags)
            {
                writer.Write(',');
                writer.Write((1000 * random.NextDouble()).ToString("F6", CultureInfo.InvariantCulture));
            }

            writer.WriteLine();
        }
    }

    private sealed record Sample(double WallSeconds, double CpuSeconds, long PeakBytes);
}
