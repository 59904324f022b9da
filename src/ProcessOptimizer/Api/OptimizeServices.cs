using ProcessOptimizer.Configuration;
using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Cycles;
using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Api;

/// <summary>What <c>POST /optimize</c> works with, bound from the container in one parameter.</summary>
public sealed record OptimizeServices(
    StrategyCatalog Strategies,
    INonlinearSolver Solver,
    CycleExecutor Executor,
    SolveQueue Queue,
    AppSettings App,
    RunRecorder Recorder,
    TimeProvider Time,
    IHostApplicationLifetime Lifetime);
