namespace ProcessOptimizer.Workers;

/// <summary>
/// How long an idle thread of a worker's thread pool spins for work before it sleeps: not at all. A worker's pool
/// threads have work in short bursts, one request at a time, and spinning after each burst took CPU from the other
/// workers and the service on a machine with as many workers as cores. Side by side with 2 workers (BENCHMARKS.md):
/// 16 % more requests a second at 32 clients, one client's p50 unchanged. The service's own threads keep the
/// runtime's default, which did cost a single client's latency.
/// </summary>
/// <remarks>The runtime reads it once, at the start; an operator's value in the service's environment is passed on as it is.</remarks>
internal static class WorkerThreadPool
{
    public const string Variable = "DOTNET_ThreadPool_UnfairSemaphoreSpinLimit";

    public const string SpinLimit = "0";
}
