using System.Globalization;

namespace ProcessOptimizer.Benchmarks;

/// <summary>
/// One client's <c>POST /optimize</c> against services with solves in-process and in 1 and 2 workers, and the
/// in-process kiln cycle on the same window in this process, all side by side: the services run at once and each
/// round loads every one of them, and runs the cycle here, in chunks whose order turns every round, so that a busy
/// machine weighs on all alike. Each round's p50 of a service is set against the same round's p50 of the cycle.
/// </summary>
internal static class SingleClientReport
{
    private const string Cycle = "in-process cycle";

    public static async Task RunAsync(string serviceDll, IReadOnlyList<int> configurations, int requestsPerChunk, int rounds)
    {
        var loads = new List<string> { ProcStat.LoadAverage() };
        await using var services = await SideBySide.StartAsync([.. configurations.Select(w => (serviceDll, w))]);
        await services.WarmAsync(TimeSpan.FromSeconds(15), settle: false, clients: 2);
        var cycle = await InProcessCycle.LoadAsync();
        // The cycle's code warms here as the services' warmed under load: enough cycles for the JIT's last tier.
        await cycle.MeasureAsync(1500);

        var names = configurations.Select(w => $"Solver:Workers={w}").Prepend(Cycle).ToArray();
        var chunks = names.ToDictionary(n => n, _ => new List<Chunk>());
        for (var round = 0; round < rounds; round++)
        {
            // Each of the names goes first once every names.Length rounds.
            foreach (var k in Enumerable.Range(0, names.Length).Select(k => (k + round) % names.Length))
            {
                chunks[names[k]].Add(k == 0
                    ? new Chunk(await cycle.MeasureAsync(requestsPerChunk), default, 0, 0, 0)
                    : await services.MeasureAsync(k - 1, 1, requestsPerChunk));
            }

            loads.Add(ProcStat.LoadAverage());
        }

        Print(chunks, loads, requestsPerChunk);
    }

    private static void Print(Dictionary<string, List<Chunk>> chunks, List<string> loads, int requestsPerChunk)
    {
        Console.WriteLine($"1 client, chunks of {requestsPerChunk}; load average (1 min) at the start and after each round: {string.Join(", ", loads)}");
        Console.WriteLine();
        Console.WriteLine("| path | requests | p50 ms (chunks min-max) | p50 minus the cycle's, same round, ms (min-max) | CPU ms per request, service or cycle | workers | load client | failures |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        var cycle = chunks[Cycle];
        foreach (var (name, list) in chunks)
        {
            // Medians over chunks: a chunk that met a burst of other work on the machine does not move them.
            var p50 = list.Select(c => c.Level.P50).ToList();
            var over = list.Select((c, round) => c.Level.P50 - cycle[round].Level.P50).ToList();
            var isCycle = name == Cycle;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {list.Sum(c => c.Level.Requests)} | {SideBySide.Median(p50):F2} ({p50.Min():F2}-{p50.Max():F2}) | {(isCycle ? "-" : $"{SideBySide.Median(over):F2} ({over.Min():F2}-{over.Max():F2})")} | {SideBySide.Median(list.Select(c => isCycle ? c.Level.ClientCpuMs : c.Cpu.ServiceMs)):F2} | {(isCycle ? "-" : SideBySide.Median(list.Select(c => c.Cpu.WorkersMs)).ToString("F2", CultureInfo.InvariantCulture))} | {(isCycle ? "-" : SideBySide.Median(list.Select(c => c.Level.ClientCpuMs)).ToString("F2", CultureInfo.InvariantCulture))} | {list.Sum(c => c.Level.Failures)} |"));
        }
    }
}
