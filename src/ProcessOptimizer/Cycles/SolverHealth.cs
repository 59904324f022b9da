using ProcessOptimizer.Core.Cycle;

namespace ProcessOptimizer.Cycles;

/// <summary>
/// What <c>/health</c> says about the solver, from every solve of the loop and the API: unhealthy while a solve
/// runs past its deadline (the solver is then not answering its callbacks), degraded when recent solves fail
/// with solver, evaluation or option errors.
/// </summary>
public sealed class SolverHealth(TimeProvider time)
{
    /// <summary>How many of the latest solves are looked at.</summary>
    public const int Window = 10;

    /// <summary>Failures among them that make the solver degraded.</summary>
    public const int FailuresForDegraded = 3;

    // A stop at the deadline takes one callback; past this, the solve is not stopping.
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private readonly Queue<string?> _recent = new();
    private (DateTimeOffset Started, int Seconds)? _running;

    /// <summary>A solve with a deadline of <paramref name="maxSeconds"/> starts now.</summary>
    public void Started(int maxSeconds)
    {
        lock (_gate)
        {
            _running = (time.GetUtcNow(), maxSeconds);
        }
    }

    /// <summary>The running solve ended with <paramref name="result"/>, or with an exception when it is null.</summary>
    public void Finished(CycleResult? result)
    {
        lock (_gate)
        {
            _running = null;
            _recent.Enqueue(result is null ? "the solve ended with an exception" : Problem(result));
            while (_recent.Count > Window)
            {
                _recent.Dequeue();
            }
        }
    }

    /// <summary>The state: <c>healthy</c>, <c>degraded</c> or <c>unhealthy</c>, with the reason and since when.</summary>
    public (string Status, string? Reason, DateTimeOffset? Since) Report()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (_running is { } running && now - running.Started > TimeSpan.FromSeconds(running.Seconds) + Grace)
            {
                return ("unhealthy", $"a solve has run {(now - running.Started).TotalSeconds:F0} s, past its deadline of {running.Seconds} s", running.Started);
            }

            var failures = _recent.Where(p => p is not null).ToList();
            return failures.Count >= FailuresForDegraded
                ? ("degraded", $"{failures.Count} of the last {_recent.Count} solves failed; the latest: {failures[^1]}", null)
                : ("healthy", null, null);
        }
    }

    private static string? Problem(CycleResult result) => result.Status switch
    {
        CycleStatus.SolverFailed => $"the solver failed ({result.Solver.LastOrDefault()?.Status ?? "no status"})",
        CycleStatus.Error when result.ErrorType is not CycleFailure.BadData => result.Error,
        _ => null,
    };
}
