using System.Diagnostics;
using System.Globalization;

namespace ProcessOptimizer.Benchmarks;

/// <summary>
/// <c>backtest</c> as a user runs it, on a week of 1-minute kiln history at 5-minute steps (2,016 cycles) and on a
/// longer period: the service executable in its own process with <c>Solver:Workers=2</c>, its wall time, and the
/// resident memory of the service and of its workers sampled every 200 ms. The history is the kiln example played
/// forwards and backwards in turn, so it joins without jumps, for as many days as asked.
/// </summary>
internal static class BacktestReport
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static async Task RunAsync(string serviceDll, IReadOnlyList<int> periodsInDays)
    {
        var work = Directory.CreateTempSubdirectory("po-backtest-bench-").FullName;
        try
        {
            var days = periodsInDays.Max();
            var csv = Path.Combine(work, "history.csv");
            WriteHistory(csv, (days + 1) * 1440);
            var database = $"--Database:ConnectionString=Data Source={Path.Combine(work, "history.db")}";
            await RunAsync(serviceDll, ["import-data", "--csv", csv, database], null, null);
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Trim()}");
            Console.WriteLine("| period | cycles | wall s | cycles/s | CPU s, service + workers | service resident MB, peak | at 25 / 50 / 75 / 100 % of the run | workers resident MB, peak |");
            Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
            foreach (var period in periodsInDays)
            {
                var from = Start.AddDays(1);
                var args = new List<string>
                {
                    "backtest", "--from", from.ToString("O", CultureInfo.InvariantCulture), "--to", from.AddDays(period).ToString("O", CultureInfo.InvariantCulture),
                    "--step", "5m", "--out", Path.Combine(work, $"out-{period}"), database, "--Solver:Workers=2",
                };
                var samples = new List<(long Service, long Workers)>();
                var cpu = new Dictionary<int, double>();
                var clock = Stopwatch.StartNew();
                await RunAsync(serviceDll, args, samples, cpu);
                var wall = clock.Elapsed.TotalSeconds;
                var cycles = period * 288;
                var quarters = new[] { 0.25, 0.5, 0.75, 1.0 }.Select(q => samples[Math.Max(0, (int)Math.Ceiling(q * samples.Count) - 1)].Service / 1048576.0);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {period} d | {cycles} | {wall:F1} | {cycles / wall:F0} | {cpu.Values.Sum():F0} | {samples.Max(s => s.Service) / 1048576.0:F0} | {string.Join(" / ", quarters.Select(m => m.ToString("F0", CultureInfo.InvariantCulture)))} | {samples.Max(s => s.Workers) / 1048576.0:F0} |"));
            }

            Console.WriteLine($"load average after: {File.ReadAllText("/proc/loadavg").Trim()}");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static void WriteHistory(string path, int rows)
    {
        var lines = File.ReadAllLines(Path.Combine(Repository.Root, "examples", "kiln", "data", "kiln-history.csv"));
        var body = lines.Skip(1).Select(l => l[(l.IndexOf(',', StringComparison.Ordinal) + 1)..]).ToArray();
        using var writer = new StreamWriter(path);
        writer.WriteLine(lines[0]);
        var period = (2 * body.Length) - 2;
        for (var i = 0; i < rows; i++)
        {
            var k = i % period;
            writer.Write(Start.AddMinutes(i).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.WriteLine(body[k < body.Length ? k : period - k]);
        }
    }

    // Samples the service's resident memory and its workers' (its child processes) until it exits.
    // CPU time is read from each process's last sample: on a shared machine it says what the run costs, whatever the wait.
    private static async Task RunAsync(string serviceDll, IReadOnlyList<string> args, List<(long Service, long Workers)>? samples, Dictionary<int, double>? cpu)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(serviceDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        while (!process.HasExited)
        {
            if (samples is not null && ProcStat.Resident(process.Id) is { } service and > 0)
            {
                var children = ProcStat.Children(process.Id);
                samples.Add((service, children.Sum(c => ProcStat.Resident(c) ?? 0)));
                foreach (var pid in children.Prepend(process.Id))
                {
                    if (ProcStat.CpuSeconds(pid) is { } seconds)
                    {
                        cpu![pid] = seconds;
                    }
                }
            }

            await Task.Delay(200);
        }

        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{string.Join(' ', args.Take(1))} exited with {process.ExitCode}: {await error}{await output}");
        }
    }
}
