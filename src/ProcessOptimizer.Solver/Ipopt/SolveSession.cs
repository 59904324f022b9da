using System.Diagnostics;
using ProcessOptimizer.Core.Optimization;

namespace ProcessOptimizer.Solver.Ipopt;

/// <summary>
/// State of one running solve, reached from IPOPT's callbacks through a GCHandle. It serves one
/// <c>IpoptSolve</c> call at a time, from <see cref="Begin"/> to <see cref="End"/>; the solver then keeps it for a
/// later solve, so that a solve allocates nothing for it.
/// </summary>
internal sealed class SolveSession
{
    private CancellationToken _cancellation;
    private CancellationToken _deadline;

    public INonlinearProgram Program { get; private set; } = null!;

    /// <summary>How the program's constraint Jacobian is declared to IPOPT.</summary>
    public Declaration Jacobian { get; private set; }

    /// <summary>How the program's Lagrangian Hessian is declared to IPOPT.</summary>
    public Declaration Hessian { get; private set; }

    /// <summary>
    /// Shutdown or the deadline: IPOPT is asked to stop, and evaluations fail at once until it does. Once true
    /// for a callback, the solve counts as stopped whatever IPOPT then reports.
    /// </summary>
    public bool ShouldStop
    {
        get
        {
            Stopped |= _cancellation.IsCancellationRequested || _deadline.IsCancellationRequested;
            return Stopped;
        }
    }

    /// <summary>A callback refused to go on; IPOPT's own status may then be any failure.</summary>
    public bool Stopped { get; private set; }

    /// <summary>The deadline, not a cancellation, stopped the solve.</summary>
    public bool PastDeadline => _deadline.IsCancellationRequested && !_cancellation.IsCancellationRequested;

    public int Iterations { get; set; }

    public long CallbackTicks { get; set; }

    /// <summary>The last exception a callback caught; IPOPT only learns that the evaluation failed.</summary>
    public Exception? LastError { get; set; }

    /// <summary>Starts serving a solve: everything the last one left is cleared.</summary>
    public void Begin(INonlinearProgram program, Declaration jacobian, Declaration hessian, CancellationToken cancellation, CancellationToken deadline)
    {
        (Program, Jacobian, Hessian, _cancellation, _deadline) = (program, jacobian, hessian, cancellation, deadline);
        (Stopped, Iterations, CallbackTicks, LastError) = (false, 0, 0, null);
    }

    /// <summary>Lets go of the solve's program, declarations and error, so that a kept session holds none of them alive.</summary>
    public void End()
    {
        (Program, Jacobian, Hessian, _cancellation, _deadline, LastError) = (null!, default, default, default, default, null);
    }

    public long Start() => Stopwatch.GetTimestamp();

    public void Stop(long started) => CallbackTicks += Stopwatch.GetTimestamp() - started;
}
