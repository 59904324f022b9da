using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace ProcessOptimizer.Benchmarks;

/// <summary>
/// The first cycle after start: the service is started afresh on the embedded defaults (local store, a new
/// SQLite file seeded by the demo replay, the kiln example) and timed until it logs its first cycle.
/// </summary>
internal static partial class ColdStartReport
{
    public static async Task RunAsync(int starts)
    {
        var service = Path.Combine(Repository.Root, "src", "ProcessOptimizer", "bin", "Release", "net10.0", "ProcessOptimizer.dll");
        if (!File.Exists(service))
        {
            throw new FileNotFoundException($"build the service first: dotnet build -c Release src/ProcessOptimizer ({service} is missing)");
        }

        var (toFirstRun, firstCycle) = (new List<double>(), new List<double>());
        for (var i = 0; i < starts; i++)
        {
            var folder = Directory.CreateTempSubdirectory("po-cold-").FullName;
            try
            {
                var (wall, cycle) = await StartOnceAsync(service, folder);
                toFirstRun.Add(wall);
                firstCycle.Add(cycle);
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        Console.WriteLine("| cold start | starts | median ms | min–max ms |");
        Console.WriteLine("| --- | --- | --- | --- |");
        foreach (var (name, times) in new[] { ("process start to the first stored run (includes seeding the demo database)", toFirstRun), ("first cycle: strategy and models from the store, verification, JIT, solve", firstCycle) })
        {
            times.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {times.Count} | {times[times.Count / 2]:F0} | {times[0]:F0}–{times[^1]:F0} |"));
        }
    }

    private static async Task<(double Wall, double Cycle)> StartOnceAsync(string service, string folder)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repository.Root };
        foreach (var argument in new[] { service, "run", $"--Urls=http://127.0.0.1:{FreePort()}", $"--Database:ConnectionString=Data Source={Path.Combine(folder, "po.db")}", "--Demo:Replay=true" })
        {
            start.ArgumentList.Add(argument);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        _ = process.StandardError.ReadToEndAsync();
        try
        {
            // Far above the ~1 s a quiet machine takes, so that a loaded one measures slowly instead of failing.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (CycleLine().Match(line) is { Success: true } match)
                {
                    return match.Groups["outcome"].Value == "success"
                        ? (clock.Elapsed.TotalMilliseconds, double.Parse(match.Groups["ms"].Value, CultureInfo.InvariantCulture))
                        : throw new InvalidOperationException($"the first cycle did not succeed: {line}");
                }
            }

            throw new InvalidOperationException("the service stopped before its first cycle");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // The cycle log line names its strategy since the service runs several ("Cycle: strategy NAME, version ...").
    [GeneratedRegex(@"Cycle: (strategy [^,]+, )?version \S+, data [^,]*, outcome (?<outcome>[\w-]+), .*? (?<ms>[0-9.]+) ms")]
    private static partial Regex CycleLine();
}
