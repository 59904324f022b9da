using System.Diagnostics;
using ProcessOptimizer.Core.Optimization;

namespace ProcessOptimizer.Solver.Ipopt;

/// <summary>
/// State of one running solve, reached from IPOPT's callbacks through a GCHandle. It lives exactly as long
/// as the <c>IpoptSolve</c> call.
/// </summary>
internal sealed class SolveSession(INonlinearProgram program, CancellationToken cancellationToken)
{
    public INonlinearProgram Program { get; } = program;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    public int Iterations { get; set; }

    public long CallbackTicks { get; set; }

    /// <summary>The last exception a callback caught; IPOPT only learns that the evaluation failed.</summary>
    public Exception? LastError { get; set; }

    public long Start() => Stopwatch.GetTimestamp();

    public void Stop(long started) => CallbackTicks += Stopwatch.GetTimestamp() - started;
}
