using System.Diagnostics;
using ProcessOptimizer.Core.Optimization;

namespace ProcessOptimizer.Solver.Ipopt;

/// <summary>
/// State of one running solve, reached from IPOPT's callbacks through a GCHandle. It lives exactly as long
/// as the <c>IpoptSolve</c> call.
/// </summary>
internal sealed class SolveSession(INonlinearProgram program, Declaration jacobian, Declaration hessian, CancellationToken cancellationToken, CancellationToken deadline)
{
    public INonlinearProgram Program { get; } = program;

    /// <summary>How the program's constraint Jacobian is declared to IPOPT.</summary>
    public Declaration Jacobian { get; } = jacobian;

    /// <summary>How the program's Lagrangian Hessian is declared to IPOPT.</summary>
    public Declaration Hessian { get; } = hessian;

    /// <summary>
    /// Shutdown or the deadline: IPOPT is asked to stop, and evaluations fail at once until it does. Once true
    /// for a callback, the solve counts as stopped whatever IPOPT then reports.
    /// </summary>
    public bool ShouldStop
    {
        get
        {
            Stopped |= cancellationToken.IsCancellationRequested || deadline.IsCancellationRequested;
            return Stopped;
        }
    }

    /// <summary>A callback refused to go on; IPOPT's own status may then be any failure.</summary>
    public bool Stopped { get; private set; }

    /// <summary>The deadline, not a cancellation, stopped the solve.</summary>
    public bool PastDeadline => deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested;

    public int Iterations { get; set; }

    public long CallbackTicks { get; set; }

    /// <summary>The last exception a callback caught; IPOPT only learns that the evaluation failed.</summary>
    public Exception? LastError { get; set; }

    public long Start() => Stopwatch.GetTimestamp();

    public void Stop(long started) => CallbackTicks += Stopwatch.GetTimestamp() - started;
}
