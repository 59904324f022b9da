using ProcessOptimizer.Core.Optimization;

namespace ProcessOptimizer.Tests.Api;

/// <summary>
/// The real solver, whose next solve after <see cref="HoldNext"/> waits in its first evaluation until the test lets
/// it go: a solve in progress for as long as the test needs, whatever the machine's speed. A problem made heavy to
/// last instead lasts as long as the machine takes (the heaviest the inline limits allowed ran its 3,000 iterations
/// in under 500 ms on a fast machine).
/// </summary>
internal sealed class HeldSolver(INonlinearSolver inner) : INonlinearSolver
{
    // Long past any wait of a test: a test that failed before letting go does not leave a solve waiting for ever.
    private static readonly TimeSpan Longest = TimeSpan.FromSeconds(60);

    private readonly TaskCompletionSource<CancellationToken> _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<Solution> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _armed;

    public string Name => inner.Name;

    /// <summary>The held solve is waiting in an evaluation; its value is the solve's cancellation token.</summary>
    public Task<CancellationToken> Held => _held.Task;

    /// <summary>The held solve has returned, with its solution.</summary>
    public Task<Solution> Ended => _ended.Task;

    /// <summary>The next solve waits in its first evaluation until <see cref="Release"/>.</summary>
    public void HoldNext() => Volatile.Write(ref _armed, 1);

    public void Release() => _released.TrySetResult();

    public Solution Solve(INonlinearProgram program, SolverSettings settings, SolutionStorage storage, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _armed, 0) == 0)
        {
            return inner.Solve(program, settings, storage, cancellationToken);
        }

        try
        {
            var solution = inner.Solve(new HeldProgram(program, () => Wait(cancellationToken)), settings, storage, cancellationToken);
            _ended.TrySetResult(solution);
            return solution;
        }
        catch (Exception ex)
        {
            _ended.TrySetException(ex);
            throw;
        }
    }

    public string? ValidateOption(string name, object value) => inner.ValidateOption(name, value);

    private void Wait(CancellationToken solve)
    {
        _held.TrySetResult(solve);
        // Not the solve's token: the test lets go once the service has seen the client leave, which cancels it.
        if (!_released.Task.Wait(Longest, CancellationToken.None))
        {
            throw new TimeoutException($"the held solve was not let go within {Longest.TotalSeconds} s");
        }
    }
}
