using BenchmarkDotNet.Attributes;
using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Solver.Ipopt;

namespace ProcessOptimizer.Benchmarks;

/// <summary>Whole in-process cycles: HS071 with exact and L-BFGS Hessians, and the kiln example.</summary>
[MemoryDiagnoser]
public class SolveBenchmarks
{
    private readonly CycleRunner _runner = new(new IpoptSolver());
    private (CompiledStrategy Strategy, CycleInput Input) _hs071;
    private (CompiledStrategy Strategy, CycleInput Input, IDisposable Models) _kiln;

    [GlobalSetup]
    public void Setup()
    {
        _hs071 = Fixtures.HockSchittkowski("hs071");
        _kiln = Fixtures.Kiln();
    }

    [GlobalCleanup]
    public void Cleanup() => _kiln.Models.Dispose();

    [Benchmark]
    public CycleResult Hs071Exact() => _runner.Run(_hs071.Strategy, _hs071.Input, new SolverSettings(), CancellationToken.None);

    [Benchmark]
    public CycleResult Hs071Lbfgs() => _runner.Run(_hs071.Strategy, _hs071.Input, new SolverSettings { UseExactHessian = false }, CancellationToken.None);

    [Benchmark]
    public CycleResult Kiln() => _runner.Run(_kiln.Strategy, _kiln.Input, new SolverSettings(), CancellationToken.None);
}
