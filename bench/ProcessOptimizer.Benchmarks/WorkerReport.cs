using System.Globalization;

namespace ProcessOptimizer.Benchmarks;

/// <summary>
/// <c>POST /optimize</c> with solves in the service and in 1 and 2 worker processes, side by side in one run:
/// each configuration is a fresh service on loopback (with room for 64 waiting requests), warmed until its CPU per
/// request settles, then loaded at 8, 32 and 1 clients.
/// </summary>
internal static class WorkerReport
{
    // One client last, and after the settling (see LoadReport.SettleAsync): the tiered JIT's last recompilations
    // weigh most per request at the lowest rate of requests.
    private static readonly int[] Clients = [8, 32, 1];

    /// <param name="configurations">Which <c>Solver:Workers</c> settings to measure; the table compares 0, 1 and 2.</param>
    public static async Task RunAsync(string serviceDll, int requestsPerLevel, IReadOnlyList<int> configurations)
    {
        var body = LoadReport.Body();
        var results = new Dictionary<int, IReadOnlyList<LoadLevel>>();
        var cpu = new Dictionary<int, IReadOnlyList<ServiceCpu>>();
        var switches = new Dictionary<int, IReadOnlyList<(double PerRequest, int Threads)>>();
        var memory = new Dictionary<int, (long Service, IReadOnlyList<long> Workers)>();
        var loads = new List<string> { ProcStat.LoadAverage() };
        foreach (var workers in configurations)
        {
            using var service = await ServiceProcess.StartApiAsync(serviceDll, Url, workers);
            try
            {
                using var client = new LoadClient(Url, body, TimeSpan.FromSeconds(60));
                await LoadReport.WarmAsync(client, TimeSpan.FromSeconds(15));
                await LoadReport.SettleAsync(client, service.Id);
                var levels = new List<LoadLevel>();
                var spent = new List<ServiceCpu>();
                var switched = new List<(double, int)>();
                foreach (var clients in Clients)
                {
                    var before = ServiceCpu.Of(service.Id);
                    var (switchesBefore, _) = ProcStat.ContextSwitches(service.Id);
                    var level = await LoadReport.MeasureAsync(client, clients, requestsPerLevel);
                    levels.Add(level);
                    spent.Add((ServiceCpu.Of(service.Id) - before) / level.Requests);
                    var (switchesAfter, threads) = ProcStat.ContextSwitches(service.Id);
                    switched.Add(((switchesAfter - switchesBefore) / (double)level.Requests, threads));
                }

                results[workers] = levels;
                cpu[workers] = spent;
                switches[workers] = switched;
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
        Console.WriteLine("| Solver:Workers | clients | requests | p50 ms | p99 ms | requests/s | CPU ms per request, service | CPU ms per request, workers | CPU ms per request, load client | service context switches per request | service threads after | failures |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var (workers, levels) in results)
        {
            for (var i = 0; i < Clients.Length; i++)
            {
                var (level, spent, (perRequest, threads)) = (levels[i], cpu[workers][i], switches[workers][i]);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {workers} | {Clients[i]} | {level.Requests} | {level.P50:F1} | {level.P99:F1} | {level.PerSecond:F1} | {spent.ServiceMs:F2} | {(workers == 0 ? "-" : spent.WorkersMs.ToString("F2", CultureInfo.InvariantCulture))} | {level.ClientCpuMs:F2} | {perRequest:F1} | {threads} | {level.Failures} |"));
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

    private static long Resident(int pid) => ProcStat.Resident(pid) ?? 0;
}
