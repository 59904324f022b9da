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

    public Solution Solve(INonlinearProgram program, SolverSettings settings, CancellationToken cancellationToken)
    {
        var recording = new Recording(program);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var solution = inner.Solve(recording, settings, cancellationToken);
        SolveBytes += GC.GetAllocatedBytesForCurrentThread() - before;
        CallbackBytes += recording.Bytes;
        Callbacks += recording.Calls;
        Solves++;
        return solution;
    }

    private sealed class Recording(INonlinearProgram program) : INonlinearProgram
    {
        private long _started;

        public long Bytes { get; private set; }

        public long Calls { get; private set; }

        public ProgramShape Shape => program.Shape;

        public bool HasExactHessian => program.HasExactHessian;

        public SparsityPattern JacobianStructure => program.JacobianStructure;

        public SparsityPattern HessianStructure => program.HessianStructure;

        public double Objective(ReadOnlySpan<double> x)
        {
            Enter();
            try
            {
                return program.Objective(x);
            }
            finally
            {
                Leave();
            }
        }

        public void ObjectiveGradient(ReadOnlySpan<double> x, Span<double> gradient)
        {
            Enter();
            try
            {
                program.ObjectiveGradient(x, gradient);
            }
            finally
            {
                Leave();
            }
        }

        public void Constraints(ReadOnlySpan<double> x, Span<double> values)
        {
            Enter();
            try
            {
                program.Constraints(x, values);
            }
            finally
            {
                Leave();
            }
        }

        public void ConstraintJacobian(ReadOnlySpan<double> x, Span<double> values)
        {
            Enter();
            try
            {
                program.ConstraintJacobian(x, values);
            }
            finally
            {
                Leave();
            }
        }

        public void LagrangianHessian(ReadOnlySpan<double> x, double objectiveFactor, ReadOnlySpan<double> multipliers, Span<double> values)
        {
            Enter();
            try
            {
                program.LagrangianHessian(x, objectiveFactor, multipliers, values);
            }
            finally
            {
                Leave();
            }
        }

        private void Enter() => _started = GC.GetAllocatedBytesForCurrentThread();

        private void Leave()
        {
            Bytes += GC.GetAllocatedBytesForCurrentThread() - _started;
            Calls++;
        }
    }
}
