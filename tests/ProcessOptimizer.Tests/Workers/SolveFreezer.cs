using System.Diagnostics;
using ProcessOptimizer.Tests.Faults;
using ProcessOptimizer.Workers;

namespace ProcessOptimizer.Tests.Workers;

/// <summary>
/// Freezes (SIGSTOP) the worker of the next request that a test picks, as soon as the pool takes
/// its solve as begun: on the thread that learnt it, before the worker's next answer is read. The solve is still
/// running then, and stays so, as a hung native solve does, until the test lets the worker go or the pool kills it.
/// Waiting to see the solve begun, then freezing the worker, lost on a fast machine to a heavy solve that ended first.
/// </summary>
/// <remarks>
/// What is left is the moment between the worker's word that its solve began (a tenth of a second into it) and the
/// signal: a solve that ended in it would answer, and a test that expects no answer fails, saying so.
/// </remarks>
internal sealed class SolveFreezer
{
    private readonly Func<SolveRequest, bool> _which;
    private readonly TaskCompletionSource<(int Pid, long At)> _frozen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _armed = 1;

    private SolveFreezer(Func<SolveRequest, bool> which) => _which = which;

    /// <summary>The frozen worker's process id, and the <see cref="Stopwatch"/> timestamp at which it was frozen.</summary>
    public Task<(int Pid, long At)> Frozen => _frozen.Task.WaitAsync(TimeSpan.FromSeconds(60));

    /// <summary>Arms the freeze on <paramref name="pool"/>, taking its <see cref="WorkerPool.SolveBegun"/> seam.</summary>
    public static SolveFreezer Next(WorkerPool pool, Func<SolveRequest, bool> which)
    {
        var freezer = new SolveFreezer(which);
        pool.SolveBegun = freezer.Begun;
        return freezer;
    }

    private void Begun(WorkerProcess worker, SolveRequest request)
    {
        if (!_which(request) || Interlocked.Exchange(ref _armed, 0) == 0)
        {
            return;
        }

        try
        {
            Signals.PauseNow(worker.Pid);
            _frozen.TrySetResult((worker.Pid, Stopwatch.GetTimestamp()));
        }
        catch (IOException ex)
        {
            _frozen.TrySetException(ex);
        }
    }
}
