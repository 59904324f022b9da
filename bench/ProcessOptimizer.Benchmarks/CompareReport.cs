using System.Globalization;

namespace ProcessOptimizer.Benchmarks;

/// <summary>
/// Two builds of the service side by side: both run at once, and are loaded in turn with chunks of
/// <c>POST /optimize</c> (the order swapped every round), so a busy machine weighs on both alike. What a change
/// buys shows in CPU milliseconds per request of the service, its workers and the load client.
/// </summary>
internal static class CompareReport
{
    public static async Task RunAsync(IReadOnlyList<string> serviceDlls, int requestsPerChunk, int rounds, int workers, int clients)
    {
        var loads = new List<string> { ProcStat.LoadAverage() };
        await using var services = await SideBySide.StartAsync([.. serviceDlls.Select(dll => (dll, workers))]);
        await services.WarmAsync(TimeSpan.FromSeconds(20), settle: false);
        var chunks = serviceDlls.Select(_ => new List<Chunk>()).ToArray();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var i in services.Order(round))
            {
                chunks[i].Add(await services.MeasureAsync(i, clients, requestsPerChunk));
            }

            loads.Add(ProcStat.LoadAverage());
        }

        Print(serviceDlls, chunks, workers, clients, loads);
    }

    private static void Print(IReadOnlyList<string> serviceDlls, List<Chunk>[] chunks, int workers, int clients, List<string> loads)
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
            double Of(Func<Chunk, double> value) => SideBySide.Median(list.Select(value));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {serviceDlls[i]} | {list.Sum(c => c.Level.Requests)} | {Of(c => c.Level.P50):F2} | {Of(c => c.Level.PerSecond):F1} | {Of(c => c.Cpu.ServiceMs):F2} ({list.Min(c => c.Cpu.ServiceMs):F2}-{list.Max(c => c.Cpu.ServiceMs):F2}) | {Of(c => c.Cpu.WorkersMs):F2} | {Of(c => c.Level.ClientCpuMs):F2} | {list.Sum(c => c.Level.Failures)} |"));
        }
    }
}
