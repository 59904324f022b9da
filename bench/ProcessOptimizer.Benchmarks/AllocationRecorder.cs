using ProcessOptimizer.Core.Optimization;

namespace ProcessOptimizer.Benchmarks;

/// <summary>
/// A solver that counts the managed bytes this thread allocates inside each solve, and of them inside the program's
/// methods (our callbacks), without allocating anything itself during the solve.
/// </summary>
/// <remarks>IPOPT calls back on the thread that called it, so the current thread's counter sees every callback.</remarks>
internal sealed class AllocationRecorder(INonlinearSolver inner) : INonlinearSolver
{
    public long SolveBytes { get; private set; }

    public long CallbackBytes { get; private set; }

    public long Solves { get; private set; }

    public long Callbacks { get; private set; }

    public string Name => inner.Name;

    public string? ValidateOption(string name, object value) => inner.ValidateOption(name, value);

    public Solution Solve(INonlinearProgram program, SolverSettings settings, SolutionStorage storage, CancellationToken cancellationToken)
    {
        var recording = new Recording(program);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var solution = inner.Solve(recording, settings, storage, cancellationToken);
        SolveBytes += GC.GetAllocatedBytesForCurrentThread() - before;
        CallbackBytes += recording.Bytes;
        Callbacks += recording.Calls;
        Solves++;
        return solution;
    }

    private sealed class Recording(INonlinearProgram program) : INonlinearProgram
    {
        public long Bytes { get; private set; }

        public long Calls { get; private set; }

        public ProgramShape Shape => program.Shape;

        public bool HasExactHessian => program.HasExactHessian;

        public SparsityPattern JacobianStructure => program.JacobianStructure;

        public SparsityPattern HessianStructure => program.HessianStructure;

        // A call that throws is not bracketed: what it allocates counts in the solve's bytes, not the callbacks'.
        public double Objective(ReadOnlySpan<double> x)
        {
            var started = GC.GetAllocatedBytesForCurrentThread();
            var value = program.Objective(x);
            Count(started);
            return value;
        }

        public void ObjectiveGradient(ReadOnlySpan<double> x, Span<double> gradient)
        {
            var started = GC.GetAllocatedBytesForCurrentThread();
            program.ObjectiveGradient(x, gradient);
            Count(started);
        }

        public void Constraints(ReadOnlySpan<double> x, Span<double> values)
        {
            var started = GC.GetAllocatedBytesForCurrentThread();
            program.Constraints(x, values);
            Count(started);
        }

        public void ConstraintJacobian(ReadOnlySpan<double> x, Span<double> values)
        {
            var started = GC.GetAllocatedBytesForCurrentThread();
            program.ConstraintJacobian(x, values);
            Count(started);
        }

        public void LagrangianHessian(ReadOnlySpan<double> x, double objectiveFactor, ReadOnlySpan<double> multipliers, Span<double> values)
        {
            var started = GC.GetAllocatedBytesForCurrentThread();
            program.LagrangianHessian(x, objectiveFactor, multipliers, values);
            Count(started);
        }

        private void Count(long started)
        {
            Bytes += GC.GetAllocatedBytesForCurrentThread() - started;
            Calls++;
        }
    }
}
