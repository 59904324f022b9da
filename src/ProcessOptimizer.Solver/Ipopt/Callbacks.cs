using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ProcessOptimizer.Solver.Ipopt;

/// <summary>
/// IPOPT's evaluation callbacks. Each one finds its <see cref="SolveSession"/> through the user-data
/// GCHandle, and catches every exception: an exception must never unwind through IPOPT's C++ frames.
/// Returning 0 tells IPOPT the evaluation failed, and it shortens the step.
/// </summary>
/// <remarks>
/// Each evaluation is a struct handed to one generic guard, not a lambda: a lambda that captures IPOPT's pointers
/// is a new object at every call, and a solve makes dozens of calls per iteration.
/// </remarks>
internal static unsafe class Callbacks
{
    private const int True = 1;
    private const int False = 0;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int EvalF(int n, double* x, int newX, double* objective, nint userData) =>
        Guard(userData, new Objective(n, x, objective));

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int EvalGradF(int n, double* x, int newX, double* gradient, nint userData) =>
        Guard(userData, new Gradient(n, x, gradient));

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int EvalG(int n, double* x, int newX, int m, double* g, nint userData) =>
        Guard(userData, new ConstraintValues(n, x, m, g));

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int EvalJacG(int n, double* x, int newX, int m, int nonZeros, int* rows, int* columns, double* values, nint userData) =>
        values == null
            ? Structure(Session(userData).Jacobian.Pattern, nonZeros, rows, columns)
            : Guard(userData, new Jacobian(n, x, nonZeros, values));

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int EvalH(
        int n, double* x, int newX, double objectiveFactor, int m, double* lambda, int newLambda,
        int nonZeros, int* rows, int* columns, double* values, nint userData) =>
        values == null
            ? Structure(Session(userData).Hessian.Pattern, nonZeros, rows, columns)
            : Guard(userData, new Hessian(n, x, objectiveFactor, m, lambda, nonZeros, values));

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static int Intermediate(
        int mode, int iteration, double objective, double primalInfeasibility, double dualInfeasibility,
        double mu, double stepNorm, double regularization, double alphaDual, double alphaPrimal, int lineSearchTrials, nint userData)
    {
        var session = Session(userData);
        session.Iterations = iteration;
        // Returning false asks IPOPT to stop with User_Requested_Stop: that is how a shutdown or a deadline reaches a solve.
        return session.ShouldStop ? False : True;
    }

    // The counts were given to IPOPT from the same patterns, so they agree; a disagreement would be our defect.
    private static int Structure(Core.Optimization.SparsityPattern pattern, int nonZeros, int* rows, int* columns)
    {
        if (pattern.Count != nonZeros)
        {
            return False;
        }

        pattern.Rows.CopyTo(new Span<int>(rows, nonZeros));
        pattern.Columns.CopyTo(new Span<int>(columns, nonZeros));
        return True;
    }

    private static SolveSession Session(nint userData) => (SolveSession)GCHandle.FromIntPtr(userData).Target!;

    private static int Guard<TEvaluation>(nint userData, TEvaluation evaluation)
        where TEvaluation : struct, IEvaluation
    {
        var session = Session(userData);
        if (session.ShouldStop)
        {
            // A failed evaluation makes IPOPT shorten its step instead of finishing a slow one; the next
            // iteration's intermediate callback then stops it.
            return False;
        }

        var started = session.Start();
        try
        {
            evaluation.Run(session);
            return True;
        }
        catch (Exception ex)
        {
            session.LastError = ex;
            return False;
        }
        finally
        {
            session.Stop(started);
        }
    }

    private interface IEvaluation
    {
        void Run(SolveSession session);
    }

    private readonly struct Objective(int n, double* x, double* objective) : IEvaluation
    {
        public void Run(SolveSession session) => *objective = session.Program.Objective(new ReadOnlySpan<double>(x, n));
    }

    private readonly struct Gradient(int n, double* x, double* gradient) : IEvaluation
    {
        public void Run(SolveSession session) => session.Program.ObjectiveGradient(new ReadOnlySpan<double>(x, n), new Span<double>(gradient, n));
    }

    private readonly struct ConstraintValues(int n, double* x, int m, double* g) : IEvaluation
    {
        public void Run(SolveSession session) => session.Program.Constraints(new ReadOnlySpan<double>(x, n), new Span<double>(g, m));
    }

    private readonly struct Jacobian(int n, double* x, int nonZeros, double* values) : IEvaluation
    {
        public void Run(SolveSession session)
        {
            var declared = new Span<double>(values, nonZeros);
            session.Program.ConstraintJacobian(new ReadOnlySpan<double>(x, n), session.Jacobian.Target(declared));
            session.Jacobian.Finish(declared);
        }
    }

    private readonly struct Hessian(int n, double* x, double objectiveFactor, int m, double* lambda, int nonZeros, double* values) : IEvaluation
    {
        public void Run(SolveSession session)
        {
            var declared = new Span<double>(values, nonZeros);
            session.Program.LagrangianHessian(new ReadOnlySpan<double>(x, n), objectiveFactor, new ReadOnlySpan<double>(lambda, m), session.Hessian.Target(declared));
            session.Hessian.Finish(declared);
        }
    }
}
