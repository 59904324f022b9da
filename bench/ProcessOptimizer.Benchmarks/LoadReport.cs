using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ProcessOptimizer.Benchmarks;

/// <summary>
/// <c>POST /optimize</c> latency and throughput against a running service, from this (second) process on
/// loopback: a bounded number of requests per client count, each request the kiln window as JSON rows.
/// </summary>
internal static class LoadReport
{
    /// <param name="target">
    /// A running service's address, or a service dll: that one is started with its default worker count (one per core)
    /// on a port the system picks (<see cref="ServiceProcess.StartApiAsync"/>), and stopped after. A port fixed here
    /// would take a second bench run's load to the first run's service.
    /// </param>
    public static async Task RunAsync(string target, int requestsPerLevel, IReadOnlyList<int> levels, TimeSpan warmUp)
    {
        if (target.StartsWith("http", StringComparison.Ordinal))
        {
            await RunOnAsync(target, requestsPerLevel, levels, warmUp);
            return;
        }

        var (process, url) = await ServiceProcess.StartApiAsync(target, Environment.ProcessorCount);
        try
        {
            await RunOnAsync(url, requestsPerLevel, levels, warmUp);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
        }
    }

    private static async Task RunOnAsync(string baseUrl, int requestsPerLevel, IReadOnlyList<int> levels, TimeSpan warmUp)
    {
        var client = new LoadClient(baseUrl, Body(), TimeSpan.FromSeconds(30));
        if (warmUp > TimeSpan.Zero)
        {
            await WarmAsync(client, warmUp);
        }

        Console.WriteLine("| clients | requests | p50 ms | p99 ms | requests/s | CPU ms per request, load client | failures |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- |");
        foreach (var clients in levels)
        {
            var level = await MeasureAsync(client, clients, requestsPerLevel);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {clients} | {level.Requests} | {level.P50:F1} | {level.P99:F1} | {level.PerSecond:F0} | {level.ClientCpuMs:F2} | {level.Failures} |"));
        }
    }

    /// <summary>One load level: <paramref name="clients"/> clients sharing <paramref name="requests"/> requests.</summary>
    /// <remarks>The load client's own CPU time is read around the level: it shares the cores with the service.</remarks>
    public static async Task<LoadLevel> MeasureAsync(LoadClient client, int clients, int requests)
    {
        var cpuBefore = ProcStat.CpuSeconds(Environment.ProcessId) ?? 0;
        var wall = Stopwatch.StartNew();
        var run = await OnThreadAsync(() => client.Run(clients, requests, TimeSpan.FromMinutes(2)));
        wall.Stop();
        var clientMs = 1000 * ((ProcStat.CpuSeconds(Environment.ProcessId) ?? 0) - cpuBefore);
        var latencies = run.Latencies;
        var done = latencies.Count;
        latencies.Sort();
        return new LoadLevel(done, latencies[done / 2], latencies[Math.Min(done - 1, done * 99 / 100)], done / wall.Elapsed.TotalSeconds, run.Failures, clientMs / done);
    }

    /// <summary>Warms the service: the JIT keeps recompiling hot methods for several seconds of load.</summary>
    /// <remarks>
    /// Until its first answer, a service may still be starting its solver or building the strategy, and says so with a
    /// 503; that is waited out (for at most two minutes). After it, a second worker may still be building the strategy
    /// on a loaded machine, and a request that waits for it past its deadline gets a 503 too: such failures are counted
    /// and told on the error stream, not fatal, since the levels measured after the warm-up count their own failures.
    /// </remarks>
    public static async Task WarmAsync(LoadClient client, TimeSpan duration, int clients = 8)
    {
        var ready = Stopwatch.StartNew();
        while ((await OnThreadAsync(() => client.Run(1, 1, TimeSpan.MaxValue))).Failures > 0)
        {
            if (ready.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new InvalidOperationException("the service did not answer a request within two minutes");
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        var failures = (await OnThreadAsync(() => client.Run(clients, int.MaxValue, duration))).Failures;
        if (failures > 0)
        {
            await Console.Error.WriteLineAsync($"{failures} warm-up request(s) failed");
        }
    }

    /// <summary>
    /// Runs chunks of single-client requests until the service's CPU per request of a chunk is within a tenth of the
    /// chunk before (or a minute has passed): after the warm-up the service's tiered JIT may still be recompiling, on
    /// a loaded machine for more than a minute, and the level measured next paid for it (9.4 ms of the service's CPU
    /// per request with 2 workers against 3.4 with 1, where a profile found two thirds of it on the JIT's thread).
    /// </summary>
    /// <returns>The service's CPU milliseconds per request of the last chunk.</returns>
    public static async Task<double> SettleAsync(LoadClient client, int service)
    {
        var settling = Stopwatch.StartNew();
        var previous = double.MaxValue;
        while (true)
        {
            var before = ProcStat.CpuSeconds(service) ?? 0;
            var level = await MeasureAsync(client, 1, 100);
            var perRequest = 1000 * ((ProcStat.CpuSeconds(service) ?? 0) - before) / Math.Max(1, level.Requests);
            if (Math.Abs(perRequest - previous) <= 0.1 * previous || settling.Elapsed > TimeSpan.FromMinutes(1))
            {
                return perRequest;
            }

            previous = perRequest;
        }
    }

    // The load client's loop on a thread of its own, blocked in its wait between answers, not on the thread pool's.
    private static Task<LoadRun> OnThreadAsync(Func<LoadRun> run) =>
        Task.Factory.StartNew(run, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>The kiln window as the request body, UTF-8 encoded once.</summary>
    public static byte[] Body() => Encoding.UTF8.GetBytes(BodyText());

    private static string BodyText()
    {
        var lines = File.ReadAllLines(Repository.KilnWindow);
        var header = lines[0].Split(',');
        var rows = lines.Skip(1).Select(line =>
        {
            var cells = line.Split(',');
            var data = string.Join(",", header.Skip(1).Zip(cells.Skip(1)).Select(p => $"\"{p.First}\":{p.Second}"));
            return $"{{\"timestamp\":\"{cells[0]}\",\"data\":{{{data}}}}}";
        });
        return $"{{\"input_data\":[{string.Join(",", rows)}]}}";
    }
}
