using System.Diagnostics;
using System.Globalization;

namespace ProcessOptimizer.Benchmarks;

/// <summary>
/// Two builds of the service side by side: both run at once, and are loaded in turn with chunks of
/// <c>POST /optimize</c> (the order swapped every round), so a busy machine weighs on both alike. What a change
/// buys shows in CPU milliseconds per request of the service, its workers and the load client.
/// </summary>
internal static class CompareReport
{
    private static readonly string[] Urls = ["http://127.0.0.1:18021", "http://127.0.0.1:18022"];

    public static async Task RunAsync(IReadOnlyList<string> serviceDlls, int requestsPerChunk, int rounds, int workers, int clients)
    {
        var body = LoadReport.Body();
        var services = new List<Process>();
        var loads = new List<string> { ProcStat.LoadAverage() };
        try
        {
            for (var i = 0; i < serviceDlls.Count; i++)
            {
                services.Add(await ServiceProcess.StartApiAsync(serviceDlls[i], Urls[i], workers));
            }

            foreach (var url in Urls.Take(services.Count))
            {
                using var warming = new LoadClient(url, body, TimeSpan.FromSeconds(60));
                await LoadReport.WarmAsync(warming, TimeSpan.FromSeconds(20));
            }

            var chunks = serviceDlls.Select(_ => new List<(LoadLevel Level, ServiceCpu Cpu)>()).ToArray();
            for (var round = 0; round < rounds; round++)
            {
                foreach (var i in round % 2 == 0 ? Enumerable.Range(0, services.Count) : Enumerable.Range(0, services.Count).Reverse())
                {
                    // Fresh connections per chunk: the warm-up's eight, left idle through the other build's chunks, passed
                    // Kestrel's keep-alive timeout on a loaded machine and were closed under the next chunk.
                    using var client = new LoadClient(Urls[i], body, TimeSpan.FromSeconds(60));
                    var before = ServiceCpu.Of(services[i].Id);
                    var level = await LoadReport.MeasureAsync(client, clients, requestsPerChunk);
                    chunks[i].Add((level, (ServiceCpu.Of(services[i].Id) - before) / level.Requests));
                }

                loads.Add(ProcStat.LoadAverage());
            }

            Print(serviceDlls, chunks, workers, clients, loads);
        }
        finally
        {
            foreach (var service in services)
            {
                service.Kill(entireProcessTree: true);
                await service.WaitForExitAsync();
            }
        }
    }

    private static void Print(IReadOnlyList<string> serviceDlls, List<(LoadLevel Level, ServiceCpu Cpu)>[] chunks, int workers, int clients, List<string> loads)
    {
        Console.WriteLine($"Solver:Workers={workers}, {clients} client(s); load average (1 min) at the start and after each round: {string.Join(", ", loads)}");
        Console.WriteLine();
        Console.WriteLine("| build | requests | p50 ms | requests/s | CPU ms per request, service (chunks min-max) | workers | load client | failures |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        for (var i = 0; i < serviceDlls.Count; i++)
        {
            // Medians over chunks: a chunk that met a burst of other work on the machine, or the JIT's last
            // recompilations, does not move them.
            var list = chunks[i];
            double Of(Func<(LoadLevel Level, ServiceCpu Cpu), double> value) => Median(list.Select(value));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {serviceDlls[i]} | {list.Sum(c => c.Level.Requests)} | {Of(c => c.Level.P50):F2} | {Of(c => c.Level.PerSecond):F1} | {Of(c => c.Cpu.ServiceMs):F2} ({list.Min(c => c.Cpu.ServiceMs):F2}-{list.Max(c => c.Cpu.ServiceMs):F2}) | {Of(c => c.Cpu.WorkersMs):F2} | {Of(c => c.Level.ClientCpuMs):F2} | {list.Sum(c => c.Level.Failures)} |"));
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
