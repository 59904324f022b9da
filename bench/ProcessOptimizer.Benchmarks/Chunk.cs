namespace ProcessOptimizer.Benchmarks;

/// <summary>
/// One chunk of load on one service of a <see cref="SideBySide"/> run: the level, the CPU per request of the service
/// and its workers, the service's context switches per request and its threads after, and the CPU milliseconds per
/// second that the other services, idle meanwhile, spent.
/// </summary>
internal sealed record Chunk(LoadLevel Level, ServiceCpu Cpu, double SwitchesPerRequest, int Threads, double IdleOthersMsPerSecond);
