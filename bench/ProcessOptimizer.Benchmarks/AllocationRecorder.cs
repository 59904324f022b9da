using ProcessOptimizer.Core.Optimization;

namespace ProcessOptimizer.Benchmarks;

/// <summary>
/// A solver that counts the managed bytes this thread allocates inside each solve, and of them inside the program's
/// methods (our callbacks), without allocating anything itself during the solve.
/// </summary>
/// <remarks>
/// IPOPT calls back on the thread that called it, so the current thread's counter sees every callback. One solve at a
/// time: the wrapper around the program is made once and pointed at each solve's program, so that the recorder's own
/// bytes do not count as the cycle's.
/// </remarks>
internal sealed class AllocationRecorder(INonlinearSolver inner) : INonlinearSolver
{
    private readonly Recording _recording = new();

    public long SolveBytes { get; private set; }

    public long CallbackBytes { get; private set; }

    public long Solves { get; private set; }

    public long Callbacks { get; private set; }

    public string Name => inner.Name;

    public string? ValidateOption(string name, object value) => inner.ValidateOption(name, value);

    public Solution Solve(INonlinearProgram program, SolverSettings settings, SolutionStorage storage, CancellationToken cancellationToken)
    {
        var recording = _recording;
        recording.Program = program;
        var (bytes, calls) = (recording.Bytes, recording.Calls);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var solution = inner.Solve(recording, settings, storage, cancellationToken);
        SolveBytes += GC.GetAllocatedBytesForCurrentThread() - before;
        CallbackBytes += recording.Bytes - bytes;
        Callbacks += recording.Calls - calls;
        Solves++;
        return solution;
    }

    private sealed class Recording : INonlinearProgram
    {
        private INonlinearProgram _program = null!;

        public INonlinearProgram Program
        {
            set => _program = value;
        }

        public long Bytes { get; private set; }

        public long Calls { get; private set; }

        public ProgramShape Shape => _program.Shape;

        public bool HasExactHessian => _program.HasExactHessian;

        public SparsityPattern JacobianStructure => _program.JacobianStructure;

        public SparsityPattern HessianStructure => _program.HessianStructure;

        // A call that throws is not bracketed: what it allocates counts in the solve's bytes, not the callbacks'.
        public double Objective(ReadOnlySpan<double> x)
        {
            var started = GC.GetAllocatedBytesForCurrentThread();
            var value = _program.Objective(x);
            Count(started);
            return value;
        }

        public void ObjectiveGradient(ReadOnlySpan<double> x, Span<double> gradient)
        {
            var started = GC.GetAllocatedBytesForCurrentThread();
            _program.ObjectiveGradient(x, gradient);
            Count(started);
        }

        public void Constraints(ReadOnlySpan<double> x, Span<double> values)
        {
            var started = GC.GetAllocatedBytesForCurrentThread();
            _program.Constraints(x, values);
            Count(started);
        }

        public void ConstraintJacobian(ReadOnlySpan<double> x, Span<double> values)
        {
            var started = GC.GetAllocatedBytesForCurrentThread();
            _program.ConstraintJacobian(x, values);
            Count(started);
        }

        public void LagrangianHessian(ReadOnlySpan<double> x, double objectiveFactor, ReadOnlySpan<double> multipliers, Span<double> values)
        {
            var started = GC.GetAllocatedBytesForCurrentThread();
            _program.LagrangianHessian(x, objectiveFactor, multipliers, values);
            Count(started);
        }

        private void Count(long started)
        {
            Bytes += GC.GetAllocatedBytesForCurrentThread() - started;
            Calls++;
        }
    }
}
