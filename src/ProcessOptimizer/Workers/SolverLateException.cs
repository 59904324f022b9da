namespace ProcessOptimizer.Workers;

/// <summary>
/// No solver worker began a request's solve within the request's deadline and the grace: none was free, or the one
/// that took it was still starting or building the strategy. Nothing is lost but this answer; the worker goes on, and
/// a later request finds it ready. Answered 503 with Retry-After by the API, stored as an error by the loop.
/// </summary>
public sealed class SolverLateException(string message, Task<SolveReply>? work = null) : Exception(message)
{
    /// <summary>The worker's own end of the request, still running: its answer or failure, when it comes.</summary>
    public Task<SolveReply>? Work { get; } = work;
}
