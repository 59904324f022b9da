using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using ProcessOptimizer.Core.Optimization;

namespace ProcessOptimizer.Solver.Ipopt;

/// <summary>
/// Solves programs with IPOPT through its C interface. Safe to call from many threads: solves are
/// serialised process-wide, because IPOPT 3.11 with MUMPS keeps global state and two concurrent solves
/// abort the whole process.
/// </summary>
/// <remarks>
/// Each solve creates and frees its own native problem (<see cref="IpoptProblem"/>); no native
/// memory outlives the call. A solve that does not converge returns a <see cref="Solution"/> with its status.
/// </remarks>
public sealed unsafe class IpoptSolver : INonlinearSolver
{
    // The one process-wide lock: the native library is the shared state it protects.
    private static readonly Lock Gate = new();

    // Options given as whole numbers that IPOPT registers as real numbers ("max_cpu_time: 5"), learnt while
    // validating, so that a solve sets them right the first time and IPOPT has nothing to print.
    private static readonly ConcurrentDictionary<string, bool> RealValued = new(StringComparer.Ordinal);

    /// <summary>The solver status reported for a solve stopped by <see cref="SolverSettings.Deadline"/>.</summary>
    public const string DeadlineStatus = "Deadline_Exceeded";

    // Enum.GetName allocated on the solve path (about 16 bytes a solve on average, measured on the kiln), so the
    // names are worked out once.
    private static readonly Dictionary<IpoptStatus, string> StatusNames = Enum.GetValues<IpoptStatus>().ToDictionary(s => s, s => s.ToString());

    // One session kept for the next solve; taken and put back whole, so two solves never hold the same one.
    private readonly IpoptLibrary _library;

    private SolveSession? _idle;

    /// <summary>A solver on the library the imports bind.</summary>
    public IpoptSolver()
        : this(new IpoptLibrary())
    {
    }

    /// <param name="library">Asked before every solve and option check, so that a missing library is reported as such.</param>
    public IpoptSolver(IpoptLibrary library)
    {
        ArgumentNullException.ThrowIfNull(library);
        _library = library;
        NativeAllocatorTuning.Apply();
        UsesMonotonicClock = IpoptClock.Install();
        SkipsMumpsSaveSize = MumpsSaveSize.Install();
    }

    /// <summary>Whether IPOPT's internal timing reads the monotonic clock instead of getrusage (see <see cref="IpoptClock"/>).</summary>
    public bool UsesMonotonicClock { get; }

    /// <summary>Whether MUMPS skips sizing a save file IPOPT never writes, at every factorisation and back-solve (see <see cref="MumpsSaveSize"/>).</summary>
    public bool SkipsMumpsSaveSize { get; }

    /// <inheritdoc />
    public string Name => "ipopt 3.11";

    /// <inheritdoc />
    public Solution Solve(INonlinearProgram program, SolverSettings settings, SolutionStorage storage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(storage);
        _library.ThrowIfUnavailable();
        var shape = program.Shape;
        int n = shape.VariableCount, m = shape.ConstraintCount;
        if (!storage.Fits(shape))
        {
            throw new ArgumentException($"storage for {storage.X.Length} variables and {storage.Constraints.Length} constraints given to a program of {n} and {m}", nameof(storage));
        }

        var exactHessian = settings.UseExactHessian && program.HasExactHessian;
        var (x, g, multipliers) = (storage.X, storage.Constraints, storage.Multipliers);
        shape.Start.AsSpan().CopyTo(x);
        Array.Clear(g);
        // With a warm start these go in as the starting multipliers and come back as the solution's.
        Start(settings.WarmStart?.Constraints, multipliers.Constraints, "constraint");
        Start(settings.WarmStart?.Lower, multipliers.Lower, "lower-bound");
        Start(settings.WarmStart?.Upper, multipliers.Upper, "upper-bound");
        double objective = double.NaN;

        var jacobian = program.JacobianStructure;
        var hessian = exactHessian ? program.HessianStructure : SparsityPattern.Empty;
        Check(jacobian, m, n, lowerTriangle: false, "constraint Jacobian");
        Check(hessian, n, n, lowerTriangle: true, "Hessian of the Lagrangian");
        var (declaredJacobian, declaredHessian) = (Declaration.Of(jacobian, m, n, triangle: false), Declaration.Of(hessian, n, n, triangle: true));

        var checkFile = settings.CheckDerivatives ? Path.Combine(Path.GetTempPath(), $"ipopt-derivative-test-{Guid.NewGuid():n}.txt") : null;
        // A kept session when one is free (solves are serialised, so one almost always is), a new one otherwise.
        var session = Interlocked.Exchange(ref _idle, null) ?? new SolveSession();
        session.Begin(program, declaredJacobian, declaredHessian, cancellationToken, settings.Deadline);
        var handle = GCHandle.Alloc(session);
        IpoptStatus status;
        long started;
        try
        {
            lock (Gate)
            {
                started = Stopwatch.GetTimestamp();
                using var problem = Create(shape, declaredJacobian.Pattern.Count, declaredHessian.Pattern.Count);
                Configure(problem, settings, exactHessian);
                if (settings.WarmStart is not null)
                {
                    Require(problem, "warm_start_init_point", "yes");
                }
                if (checkFile is not null)
                {
                    // IPOPT prints its derivative test, not returns it: send it to a file of its own and read it back.
                    Require(problem, "derivative_test", "first-order");
                    Require(problem, "derivative_test_print_all", "yes");
                    Require(problem, "output_file", checkFile);
                    Require(problem, "file_print_level", 5);
                }

                fixed (double* px = x, pg = g, pm = multipliers.Constraints, pl = multipliers.Lower, pu = multipliers.Upper)
                {
                    status = (IpoptStatus)Interop.IpoptSolve(problem.Pointer, px, pg, &objective, pm, pl, pu, GCHandle.ToIntPtr(handle));
                }
            }
        }
        finally
        {
            handle.Free();
            declaredJacobian.Return();
            declaredHessian.Return();
        }

        var derivativeError = checkFile is null ? (double?)null : DerivativeTestReport.LargestRelativeError(checkFile);

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        // A stopped solve may end with any IPOPT status (a refused evaluation can end it first); the cause is ours.
        var (solveStatus, statusText) = !session.Stopped ? (Classify(status), StatusNames.TryGetValue(status, out var name) ? name : status.ToString())
            : session.PastDeadline ? (SolveStatus.LimitReached, DeadlineStatus)
            : (SolveStatus.Failed, nameof(IpoptStatus.User_Requested_Stop));
        var solution = new Solution(
            solveStatus,
            statusText,
            x,
            objective,
            g,
            session.Iterations,
            seconds,
            TimeSpan.FromTicks(session.CallbackTicks * TimeSpan.TicksPerSecond / Stopwatch.Frequency).TotalSeconds,
            session.LastError?.Message)
        {
            DerivativeError = derivativeError,
            Multipliers = multipliers,
        };
        session.End();
        Volatile.Write(ref _idle, session);
        return solution;
    }

    private static void Start(double[]? warm, double[] multipliers, string what)
    {
        if (warm is null)
        {
            Array.Clear(multipliers);
        }
        else if (warm.Length == multipliers.Length)
        {
            warm.AsSpan().CopyTo(multipliers);
        }
        else
        {
            throw new ArgumentException($"warm start has {warm.Length} {what} multipliers for a program that needs {multipliers.Length}", nameof(warm));
        }
    }

    /// <inheritdoc />
    public string? ValidateOption(string name, object value)
    {
        ArgumentNullException.ThrowIfNull(name);
        _library.ThrowIfUnavailable();
        lock (Gate)
        {
            var shape = new ProgramShape([0], [-1], [1], [], []);
            using var problem = Create(shape, 0, 0);
            Silence(problem);
            using var quiet = new StandardOutputSilencer();
            if (value is int whole && Interop.AddIpoptIntOption(problem.Pointer, name, whole) == 0 && Interop.AddIpoptNumOption(problem.Pointer, name, whole) != 0)
            {
                RealValued[name] = true;
                return null;
            }

            return Add(problem, name, value) ? null : $"'{name}' is not an IPOPT option, or {Describe(value)} is not a valid value for it";
        }
    }

    // A pattern IPOPT would misread (an entry outside the matrix, or above the diagonal of the Hessian) is the
    // program's defect: refused here, before any native code sees it.
    private static void Check(SparsityPattern pattern, int rows, int columns, bool lowerTriangle, string what)
    {
        if (pattern.Rows.Length != pattern.Columns.Length)
        {
            throw new SolverException($"the {what} pattern has {pattern.Rows.Length} rows but {pattern.Columns.Length} columns");
        }

        for (var k = 0; k < pattern.Count; k++)
        {
            var (r, c) = (pattern.Rows[k], pattern.Columns[k]);
            if (r < 0 || r >= rows || c < 0 || c >= columns || (lowerTriangle && c > r))
            {
                throw new SolverException($"entry {k} of the {what} pattern, ({r}, {c}), is outside the {rows} × {columns} {(lowerTriangle ? "lower triangle" : "matrix")}");
            }
        }
    }

    private static IpoptProblem Create(ProgramShape shape, int jacobianEntries, int hessianEntries)
    {
        int n = shape.VariableCount, m = shape.ConstraintCount;
        // Copies: the shape belongs to the caller, and IPOPT wants its "infinite" in place of double infinity. IPOPT
        // copies the bounds when it creates the problem, so the copies go back to the pool right after.
        var (xLower, xUpper, gLower, gUpper) = (Finite(shape.LowerBounds), Finite(shape.UpperBounds), Finite(shape.ConstraintLower), Finite(shape.ConstraintUpper));
        try
        {
            return Create(n, m, xLower, xUpper, gLower, gUpper, jacobianEntries, hessianEntries);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(xLower);
            ArrayPool<double>.Shared.Return(xUpper);
            ArrayPool<double>.Shared.Return(gLower);
            ArrayPool<double>.Shared.Return(gUpper);
        }
    }

    private static IpoptProblem Create(int n, int m, double[] xLower, double[] xUpper, double[] gLower, double[] gUpper, int jacobianEntries, int hessianEntries)
    {
        fixed (double* xL = xLower, xU = xUpper, gL = gLower, gU = gUpper)
        {
            var problem = new IpoptProblem(Interop.CreateIpoptProblem(
                n, xL, xU, m, gL, gU,
                jacobianEntries, hessianEntries, 0,
                &Callbacks.EvalF, &Callbacks.EvalG, &Callbacks.EvalGradF, &Callbacks.EvalJacG, &Callbacks.EvalH));
            if (problem.IsInvalid)
            {
                throw new SolverException($"IPOPT refused the problem definition (n={n}, m={m})");
            }

            Interop.SetIntermediateCallback(problem.Pointer, &Callbacks.Intermediate);
            return problem;
        }
    }

    // Rented: longer than the values, and IPOPT reads only the first n (or m).
    private static double[] Finite(double[] values)
    {
        var finite = ArrayPool<double>.Shared.Rent(Math.Max(values.Length, 1));
        for (var i = 0; i < values.Length; i++)
        {
            finite[i] = Math.Clamp(values[i], -Bound.Infinite, Bound.Infinite);
        }

        return finite;
    }

    private static void Silence(IpoptProblem problem)
    {
        Interop.AddIpoptIntOption(problem.Pointer, "print_level", 0);
        Interop.AddIpoptStrOption(problem.Pointer, "sb", "yes");
    }

    private static void Configure(IpoptProblem problem, SolverSettings settings, bool exactHessian)
    {
        Silence(problem);
        // Without this IPOPT reads ipopt.opt from the working directory at every solve: a file nobody reviewed
        // would change every solve, and one that does not parse would fail all of them.
        Require(problem, "option_file_name", "");
        // Typed calls, not Require: a boxed number per option per solve is garbage the solve path does not need.
        Expect(Interop.AddIpoptIntOption(problem.Pointer, "max_iter", settings.MaxIterations), "max_iter", settings.MaxIterations);
        Expect(Interop.AddIpoptNumOption(problem.Pointer, "tol", settings.Tolerance), "tol", settings.Tolerance);
        Require(problem, "hessian_approximation", exactHessian ? "exact" : "limited-memory");
        // IPOPT refines every linear solve at least once by default, an extra MUMPS call each time; it still
        // refines whenever the residual asks for it. Without the forced step every Hock-Schittkowski problem and
        // the kiln take the same iterations and 10–20 % less time (BENCHMARKS.md). A strategy can set it back.
        Expect(Interop.AddIpoptIntOption(problem.Pointer, "min_refinement_steps", 0), "min_refinement_steps", 0);
        if (settings.Options.Count == 0)
        {
            return;
        }

        foreach (var (name, value) in settings.Options)
        {
            // Strategies are checked at load; this keeps a refused option from ever reaching IPOPT by another path.
            if (SolverOptionPolicy.Check(name, value) is { } refusal)
            {
                throw new SolverException($"solver option refused: {refusal}");
            }

            Require(problem, name, value);
        }
    }

    private static void Require(IpoptProblem problem, string name, object value)
    {
        if (!Add(problem, name, value))
        {
            throw new SolverException($"IPOPT rejected option {name} = {Describe(value)}");
        }
    }

    private static void Expect<T>(int accepted, string name, T value)
        where T : struct
    {
        if (accepted == 0)
        {
            throw new SolverException($"IPOPT rejected option {name} = {Describe(value)}");
        }
    }

    private static bool Add(IpoptProblem problem, string name, object value) => value switch
    {
        int i when RealValued.ContainsKey(name) => Interop.AddIpoptNumOption(problem.Pointer, name, i) != 0,
        int i => Interop.AddIpoptIntOption(problem.Pointer, name, i) != 0,
        double d => Interop.AddIpoptNumOption(problem.Pointer, name, d) != 0,
        _ => Interop.AddIpoptStrOption(problem.Pointer, name, Convert.ToString(value, CultureInfo.InvariantCulture) ?? "") != 0,
    };

    private static string Describe(object value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "null";

    private static SolveStatus Classify(IpoptStatus status) => status switch
    {
        IpoptStatus.Solve_Succeeded => SolveStatus.Succeeded,
        IpoptStatus.Solved_To_Acceptable_Level => SolveStatus.AcceptableLevel,
        IpoptStatus.Infeasible_Problem_Detected => SolveStatus.Infeasible,
        IpoptStatus.Maximum_Iterations_Exceeded or IpoptStatus.Maximum_CpuTime_Exceeded => SolveStatus.LimitReached,
        _ => SolveStatus.Failed,
    };
}
