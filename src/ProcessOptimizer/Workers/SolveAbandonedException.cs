namespace ProcessOptimizer.Workers;

/// <summary>
/// The caller stopped waiting (it left, the service is stopping, or its own bound on the whole wait passed) while a
/// worker holds its request. The worker goes on to its answer, which nobody takes, or to its kill.
/// </summary>
public sealed class SolveAbandonedException(Task<SolveReply> work, CancellationToken cancellationToken)
    : OperationCanceledException("the caller stopped waiting for the solver worker's answer", null, cancellationToken)
{
    /// <summary>The worker's own end of the request, still running: its answer or failure, when it comes.</summary>
    public Task<SolveReply> Work { get; } = work;
}
