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

    public static async Task RunAsync(string serviceDll, int requestsPerLevel)
    {
        var body = LoadReport.Body();
        var results = new Dictionary<int, IReadOnlyList<LoadLevel>>();
        var memory = new Dictionary<int, (long Service, IReadOnlyList<long> Workers)>();
        foreach (var workers in new[] { 0, 1, 2 })
        {
            using var service = await StartAsync(serviceDll, workers);
            try
            {
                using var http = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(60) };
                await LoadReport.WarmAsync(http, body, TimeSpan.FromSeconds(15));
                var levels = new List<LoadLevel>();
                foreach (var clients in Clients)
                {
                    levels.Add(await LoadReport.MeasureAsync(http, body, clients, requestsPerLevel));
                }

                results[workers] = levels;
                memory[workers] = (Resident(service.Id), [.. WorkerPids(service.Id).Select(Resident)]);
            }
            finally
            {
                service.Kill(entireProcessTree: true);
                await service.WaitForExitAsync();
            }
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
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { serviceDll, "run", "--App:Mode=api", "--Urls=" + Url, $"--Database:ConnectionString=Data Source={folder}/po.db", $"--Solver:Workers={workers}", "--Api:MaxQueuedRequests=64", "--Logging:LogLevel:Default=Warning" })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = new Uri(Url) };
        while (true)
        {
            try
            {
                (await http.GetAsync("/health")).EnsureSuccessStatusCode();
                if (workers == 0 || WorkerPids(process.Id).Count == workers)
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

    private static List<int> WorkerPids(int parent) =>
        [.. Directory.GetDirectories("/proc").Select(Path.GetFileName).Select(n => int.TryParse(n, out var pid) ? pid : 0)
            .Where(pid => pid > 0 && ParentOf(pid) == parent)];

    private static int ParentOf(int pid)
    {
        try
        {
            // "pid (comm) state ppid ...": the command may hold spaces, so count from the closing parenthesis.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static long Resident(int pid) => Workers.ResidentMemory.Of(pid) ?? 0;
}
