using System.Globalization;

namespace ProcessOptimizer.Benchmarks;

/// <summary>
/// <c>POST /optimize</c> with solves in the service and in 1 and 2 worker processes, side by side in one run: the
/// services (each with room for 64 waiting requests) run at once, are warmed until their CPU per request settles, and
/// are then loaded in turn (see <see cref="SideBySide"/>), round after round, with a chunk each at 8, 32 and 1
/// clients. Each figure is a median over a configuration's chunks; the 2 / 1 workers ratio is taken round by round,
/// from chunks run one right after the other.
/// </summary>
internal static class WorkerReport
{
    // One client last, and after the settling (see LoadReport.SettleAsync): the tiered JIT's last recompilations
    // weigh most per request at the lowest rate of requests.
    private static readonly int[] Clients = [8, 32, 1];

    /// <param name="configurations">Which <c>Solver:Workers</c> settings to measure; the ratio needs 1 and 2.</param>
    public static async Task RunAsync(string serviceDll, int requestsPerChunk, int rounds, IReadOnlyList<int> configurations)
    {
        var loads = new List<string> { ProcStat.LoadAverage() };
        await using var services = await SideBySide.StartAsync([.. configurations.Select(w => (serviceDll, w))]);
        await services.WarmAsync(TimeSpan.FromSeconds(15), settle: true);
        loads.Add(ProcStat.LoadAverage());
        // chunks[configuration][client level][round]
        var chunks = configurations.Select(_ => Clients.Select(_ => new List<Chunk>()).ToArray()).ToArray();
        for (var round = 0; round < rounds; round++)
        {
            for (var level = 0; level < Clients.Length; level++)
            {
                foreach (var i in services.Order(round))
                {
                    chunks[i][level].Add(await services.MeasureAsync(i, Clients[level], requestsPerChunk));
                }
            }

            loads.Add(ProcStat.LoadAverage());
        }

        var memory = services.Processes.Select(p => (Resident(p.Id), ProcStat.Children(p.Id).Select(Resident).ToArray())).ToArray();
        Console.WriteLine($"Chunks of {requestsPerChunk} requests, {rounds} rounds; load average (1 min) at the start, after the warm-up and after each round: {string.Join(", ", loads)}");
        Console.WriteLine();
        PrintLevels(configurations, chunks);
        var one = configurations.ToList().IndexOf(1);
        var two = configurations.ToList().IndexOf(2);
        if (one >= 0 && two >= 0)
        {
            PrintRatios(chunks[one], chunks[two]);
        }

        Console.WriteLine("| configuration | service resident MB | each worker resident MB |");
        Console.WriteLine("| --- | --- | --- |");
        for (var i = 0; i < configurations.Count; i++)
        {
            var (service, each) = memory[i];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| Solver:Workers={configurations[i]} | {Mb(service)} | {(each.Length == 0 ? "-" : string.Join(", ", each.Select(Mb)))} |"));
        }
    }

    private static void PrintLevels(IReadOnlyList<int> configurations, List<Chunk>[][] chunks)
    {
        Console.WriteLine("| Solver:Workers | clients | requests | p50 ms | p99 ms | requests/s (chunks min-max) | CPU ms per request, service | CPU ms per request, workers | CPU ms per request, load client | service context switches per request | service threads after | CPU ms per s of the idle services meanwhile | failures |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        for (var i = 0; i < configurations.Count; i++)
        {
            for (var level = 0; level < Clients.Length; level++)
            {
                var list = chunks[i][level];
                double Of(Func<Chunk, double> value) => SideBySide.Median(list.Select(value));
                var workers = configurations[i] == 0 ? "-" : Of(c => c.Cpu.WorkersMs).ToString("F2", CultureInfo.InvariantCulture);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {configurations[i]} | {Clients[level]} | {list.Sum(c => c.Level.Requests)} | {Of(c => c.Level.P50):F1} | {Of(c => c.Level.P99):F1} | {Of(c => c.Level.PerSecond):F1} ({list.Min(c => c.Level.PerSecond):F1}-{list.Max(c => c.Level.PerSecond):F1}) | {Of(c => c.Cpu.ServiceMs):F2} | {workers} | {Of(c => c.Level.ClientCpuMs):F2} | {Of(c => c.SwitchesPerRequest):F1} | {list[^1].Threads} | {Of(c => c.IdleOthersMsPerSecond):F1} | {list.Sum(c => c.Level.Failures)} |"));
            }
        }

        Console.WriteLine();
    }

    private static void PrintRatios(List<Chunk>[] one, List<Chunk>[] two)
    {
        Console.WriteLine("| clients | 1 worker req/s | 2 workers req/s | 2 / 1 workers throughput, round by round | median |");
        Console.WriteLine("| --- | --- | --- | --- | --- |");
        for (var level = 0; level < Clients.Length; level++)
        {
            var ratios = one[level].Zip(two[level], (a, b) => b.Level.PerSecond / a.Level.PerSecond).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {Clients[level]} | {SideBySide.Median(one[level].Select(c => c.Level.PerSecond)):F1} | {SideBySide.Median(two[level].Select(c => c.Level.PerSecond)):F1} | {string.Join(", ", ratios.Select(r => r.ToString("F2", CultureInfo.InvariantCulture)))} | {SideBySide.Median(ratios):F2}x |"));
        }

        Console.WriteLine();
    }

    private static long Resident(int pid) => ProcStat.Resident(pid) ?? 0;

    private static string Mb(long bytes) => (bytes / 1048576.0).ToString("F0", CultureInfo.InvariantCulture);
}
