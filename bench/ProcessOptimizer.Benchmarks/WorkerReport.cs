using System.Diagnostics;
using System.Globalization;

namespace ProcessOptimizer.Benchmarks;

/// <summary>
/// <c>POST /optimize</c> with solves in the service and in 1 and 2 worker processes, side by side in one run:
/// each configuration is a fresh service on loopback (with room for 64 waiting requests), warmed, then loaded at
/// 1, 8 and 32 clients.
/// </summary>
internal static class WorkerReport
{
    private static readonly int[] Clients = [1, 8, 32];

    /// <param name="configurations">Which <c>Solver:Workers</c> settings to measure; the table compares 0, 1 and 2.</param>
    public static async Task RunAsync(string serviceDll, int requestsPerLevel, IReadOnlyList<int> configurations)
    {
        var body = LoadReport.Body();
        var results = new Dictionary<int, IReadOnlyList<LoadLevel>>();
        var cpu = new Dictionary<int, IReadOnlyList<(double Service, double Workers)>>();
        var memory = new Dictionary<int, (long Service, IReadOnlyList<long> Workers)>();
        var loads = new List<string> { ProcStat.LoadAverage() };
        foreach (var workers in configurations)
        {
            using var service = await StartAsync(serviceDll, workers);
            try
            {
                using var http = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(60) };
                await LoadReport.WarmAsync(http, body, TimeSpan.FromSeconds(15));
                var levels = new List<LoadLevel>();
                var spent = new List<(double, double)>();
                foreach (var clients in Clients)
                {
                    var before = Cpu(service.Id);
                    var level = await LoadReport.MeasureAsync(http, body, clients, requestsPerLevel);
                    var after = Cpu(service.Id);
                    levels.Add(level);
                    spent.Add((1000 * (after.Service - before.Service) / level.Requests, 1000 * (after.Workers - before.Workers) / level.Requests));
                }

                results[workers] = levels;
                cpu[workers] = spent;
                memory[workers] = (Resident(service.Id), [.. ProcStat.Children(service.Id).Select(Resident)]);
                loads.Add(ProcStat.LoadAverage());
            }
            finally
            {
                service.Kill(entireProcessTree: true);
                await service.WaitForExitAsync();
            }
        }

        Console.WriteLine($"Load average (1 min) at the start and after each configuration: {string.Join(", ", loads)}");
        Console.WriteLine();
        Console.WriteLine("| Solver:Workers | clients | requests | p50 ms | p99 ms | requests/s | CPU ms per request, service | CPU ms per request, workers | failures |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var (workers, levels) in results)
        {
            for (var i = 0; i < Clients.Length; i++)
            {
                var (level, (service, each)) = (levels[i], cpu[workers][i]);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {workers} | {Clients[i]} | {level.Requests} | {level.P50:F1} | {level.P99:F1} | {level.PerSecond:F1} | {service:F2} | {(workers == 0 ? "-" : each.ToString("F2", CultureInfo.InvariantCulture))} | {level.Failures} |"));
            }
        }

        Console.WriteLine();
        if (!results.ContainsKey(0) || !results.ContainsKey(1) || !results.ContainsKey(2))
        {
            return;
        }

        Console.WriteLine("| clients | in-process p50 ms | in-process req/s | 1 worker p50 ms | 1 worker req/s | 2 workers p50 ms | 2 workers req/s | 2 / 1 workers throughput | failures |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        for (var i = 0; i < Clients.Length; i++)
        {
            var (inProcess, one, two) = (results[0][i], results[1][i], results[2][i]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {Clients[i]} | {inProcess.P50:F1} | {inProcess.PerSecond:F1} | {one.P50:F1} | {one.PerSecond:F1} | {two.P50:F1} | {two.PerSecond:F1} | {two.PerSecond / one.PerSecond:F2}x | {inProcess.Failures + one.Failures + two.Failures} |"));
        }

        Console.WriteLine();
        Console.WriteLine("| configuration | service resident MB | each worker resident MB |");
        Console.WriteLine("| --- | --- | --- |");
        foreach (var (workers, (service, each)) in memory)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| Solver:Workers={workers} | {service / 1048576.0:F0} | {(each.Count == 0 ? "-" : string.Join(", ", each.Select(b => (b / 1048576.0).ToString("F0", CultureInfo.InvariantCulture))))} |"));
        }
    }

    private const string Url = "http://127.0.0.1:18011";

    private static async Task<Process> StartAsync(string serviceDll, int workers)
    {
        var folder = Directory.CreateTempSubdirectory("po-bench-").FullName;
        var process = ServiceProcess.Start([serviceDll, "run", "--App:Mode=api", "--Urls=" + Url, $"--Database:ConnectionString=Data Source={folder}/po.db", $"--Solver:Workers={workers}", "--Api:MaxQueuedRequests=64", "--Logging:LogLevel:Default=Warning"]);
        using var http = new HttpClient { BaseAddress = new Uri(Url) };
        while (true)
        {
            try
            {
                (await http.GetAsync("/health")).EnsureSuccessStatusCode();
                if (workers == 0 || ProcStat.Children(process.Id).Count == workers)
                {
                    return process;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }
    }

    private static (double Service, double Workers) Cpu(int service) =>
        (ProcStat.CpuSeconds(service) ?? 0, ProcStat.Children(service).Sum(w => ProcStat.CpuSeconds(w) ?? 0));

    private static long Resident(int pid) => ProcStat.Resident(pid) ?? 0;
}
