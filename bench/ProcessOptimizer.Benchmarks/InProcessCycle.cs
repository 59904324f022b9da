using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using ProcessOptimizer.Configuration;
using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Cycles;
using ProcessOptimizer.Inputs;
using ProcessOptimizer.Solver.Ipopt;
using ProcessOptimizer.Storage.Caching;
using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Benchmarks;

/// <summary>
/// The kiln cycle in this process on the rows the load client sends, through the service's own path: the deployed
/// version loaded from the example's store by <see cref="StrategyRepository"/>, then <see cref="CycleSolver"/>
/// without a pool (<c>Solver:Workers=0</c>), as <c>/optimize</c> solves it minus the HTTP, the body and the run.
/// </summary>
internal sealed class InProcessCycle
{
    private readonly DeployedStrategy _deployed;
    private readonly CycleInput _input = InputParser.ReadFile(Repository.KilnWindow);
    private readonly CycleSolver _solver;
    private readonly OptimizationSettings _settings = new();

    private InProcessCycle(DeployedStrategy deployed, IpoptSolver solver, IpoptLibrary library)
    {
        _deployed = deployed;
        _solver = new CycleSolver(solver, _settings, TimeProvider.System, pool: null, library);
    }

    public static async Task<InProcessCycle> LoadAsync()
    {
        var library = new IpoptLibrary();
        var solver = new IpoptSolver(library);
        var store = new StorageSettings { LocalRoot = Repository.KilnStore };
        var repository = new StrategyRepository(store.CreateStore(), store, solver, new ArtifactCache(NullLogger<ArtifactCache>.Instance), TimeProvider.System, NullLogger<StrategyRepository>.Instance);
        return new InProcessCycle(await repository.CurrentAsync(CancellationToken.None), solver, library);
    }

    /// <summary>One cycle on the window, for what a worker would answer with.</summary>
    public Task<CycleResult> RunOnceAsync() => _solver.RunAsync(null, _deployed, null, _input, _settings.MaxSolveSeconds, CancellationToken.None);

    /// <summary>
    /// Runs <paramref name="cycles"/> cycles one after another, like one client; the CPU time is this process's
    /// (nothing else in it runs meanwhile: the services' load is between chunks).
    /// </summary>
    public async Task<LoadLevel> MeasureAsync(int cycles)
    {
        var latencies = new double[cycles];
        var failures = 0;
        var cpuBefore = ProcStat.CpuSeconds(Environment.ProcessId) ?? 0;
        var wall = Stopwatch.StartNew();
        for (var i = 0; i < cycles; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var result = await _solver.RunAsync(null, _deployed, null, _input, _settings.MaxSolveSeconds, CancellationToken.None).ConfigureAwait(false);
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (result.Status is not (CycleStatus.Success or CycleStatus.Infeasible))
            {
                failures++;
            }
        }

        wall.Stop();
        var cpuMs = 1000 * ((ProcStat.CpuSeconds(Environment.ProcessId) ?? 0) - cpuBefore);
        Array.Sort(latencies);
        return new LoadLevel(cycles, latencies[cycles / 2], latencies[Math.Min(cycles - 1, cycles * 99 / 100)], cycles / wall.Elapsed.TotalSeconds, failures, cpuMs / cycles);
    }
}
