using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Solver.Ipopt;

namespace ProcessOptimizer.Cycles;

/// <summary>
/// What <c>/health</c> says about the solver, from every solve of the loop and the API: unhealthy while a solve
/// runs past its deadline (the solver is then not answering its callbacks), degraded when recent solves fail
/// with solver, evaluation or option errors. Unhealthy from the start when the solver's library cannot be loaded.
/// </summary>
/// <param name="library">The solver's library, checked when this is made: at the service's start.</param>
public sealed class SolverHealth(TimeProvider time, IpoptLibrary? library = null)
{
    /// <summary>How many of the latest solves are looked at.</summary>
    public const int Window = 10;

    /// <summary>Failures among them that make the solver degraded.</summary>
    public const int FailuresForDegraded = 3;

    // A stop at the deadline takes one callback; past this, the solve is not stopping.
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private readonly Queue<string?> _recent = new();

    // Every solve in flight: with solver workers several run at once, and one that finishes says nothing about another that is stuck.
    private readonly Dictionary<long, (DateTimeOffset Started, int Seconds)> _running = [];
    private long _next;

    // No solve can run until the library is installed, which takes a restart: the state is the start's.
    private readonly (string? Problem, DateTimeOffset Since) _library = (library?.Problem, time.GetUtcNow());

    /// <summary>A solve with a deadline of <paramref name="maxSeconds"/> starts now.</summary>
    /// <returns>The solve, to pass to <see cref="Finished"/>.</returns>
    public long Started(int maxSeconds)
    {
        lock (_gate)
        {
            _running[++_next] = (time.GetUtcNow(), maxSeconds);
            return _next;
        }
    }

    /// <summary>The <paramref name="solve"/> ended with <paramref name="result"/>, or with an exception when it is null.</summary>
    public void Finished(long solve, CycleResult? result)
    {
        lock (_gate)
        {
            _running.Remove(solve);
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
        if (_library.Problem is { } missing)
        {
            return ("unhealthy", missing, _library.Since);
        }

        lock (_gate)
        {
            var now = time.GetUtcNow();
            var overdue = _running.Values.Where(r => now - r.Started > TimeSpan.FromSeconds(r.Seconds) + Grace).OrderBy(r => r.Started).ToList();
            if (overdue.Count > 0)
            {
                var (started, seconds) = overdue[0];
                return ("unhealthy", $"a solve has run {(now - started).TotalSeconds:F0} s, past its deadline of {seconds} s", started);
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
