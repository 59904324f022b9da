using System.Diagnostics;

namespace ProcessOptimizer.Benchmarks;

/// <summary>
/// Services measured side by side: all run at once, each on a port of its own, and are loaded one at a time in
/// chunks of <c>POST /optimize</c> whose order is swapped every round, so that a busy machine, or its load drifting
/// through the run, weighs on all alike. An idle service costs the others nothing measurable: what the services not
/// loaded spend during each chunk is read too, and reported.
/// </summary>
internal sealed class SideBySide : IAsyncDisposable
{
    private readonly List<(Process Process, LoadClient Client)> _services;

    private SideBySide(List<(Process, LoadClient)> services) => _services = services;

    /// <summary>The services' processes, in the order given.</summary>
    public IReadOnlyList<Process> Processes => [.. _services.Select(s => s.Process)];

    /// <summary>Starts every service at once and returns when all answer <c>/health</c> with their workers running.</summary>
    /// <param name="services">Each service's dll (see <see cref="ServiceProcess.StartApiAsync"/>) and its <c>Solver:Workers</c>.</param>
    public static async Task<SideBySide> StartAsync(IReadOnlyList<(string Dll, int Workers)> services)
    {
        var body = LoadReport.Body();
        var starting = services.Select(s => ServiceProcess.StartApiAsync(s.Dll, s.Workers)).ToArray();
        try
        {
            await Task.WhenAll(starting);
        }
        catch
        {
            foreach (var started in starting.Where(t => t.IsCompletedSuccessfully))
            {
                await Stop(started.Result.Process);
            }

            throw;
        }

        return new SideBySide([.. starting.Select(t => (t.Result.Process, new LoadClient(t.Result.Url, body, TimeSpan.FromSeconds(60))))]);
    }

    /// <summary>Warms each service in turn under <paramref name="clients"/> for <paramref name="duration"/>, then, if asked, lets its JIT settle (see <see cref="LoadReport.SettleAsync"/>).</summary>
    public async Task WarmAsync(TimeSpan duration, bool settle, int clients = 8)
    {
        foreach (var (process, client) in _services)
        {
            await LoadReport.WarmAsync(client, duration, clients);
            if (settle)
            {
                await LoadReport.SettleAsync(client, process.Id);
            }
        }
    }

    /// <summary>The services' indices in the order of <paramref name="round"/>: as given in even rounds, reversed in odd ones.</summary>
    public IEnumerable<int> Order(int round) =>
        round % 2 == 0 ? Enumerable.Range(0, _services.Count) : Enumerable.Range(0, _services.Count).Reverse();

    /// <summary>Loads service <paramref name="index"/> alone with one chunk, and reads what it and the idle others spent.</summary>
    public async Task<Chunk> MeasureAsync(int index, int clients, int requests)
    {
        var (process, client) = _services[index];
        var others = _services.Where((_, i) => i != index).Select(s => s.Process.Id).ToArray();
        var before = ServiceCpu.Of(process.Id);
        var othersBefore = others.Sum(Total);
        var (switchesBefore, _) = ProcStat.ContextSwitches(process.Id);
        var wall = Stopwatch.StartNew();
        var level = await LoadReport.MeasureAsync(client, clients, requests);
        wall.Stop();
        var cpu = (ServiceCpu.Of(process.Id) - before) / level.Requests;
        var (switchesAfter, threads) = ProcStat.ContextSwitches(process.Id);
        var othersMsPerSecond = (others.Sum(Total) - othersBefore) / wall.Elapsed.TotalSeconds;
        return new Chunk(level, cpu, (switchesAfter - switchesBefore) / (double)level.Requests, threads, othersMsPerSecond);
    }

    /// <summary>The median of <paramref name="values"/> (the upper one of an even count).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (process, _) in _services)
        {
            await Stop(process);
        }
    }

    private static double Total(int pid)
    {
        var cpu = ServiceCpu.Of(pid);
        return cpu.ServiceMs + cpu.WorkersMs;
    }

    private static async Task Stop(Process process)
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
    }
}
