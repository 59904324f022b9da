using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Solver.Ipopt;

namespace ProcessOptimizer.Solver.Tests.Ipopt;

public class IpoptSolverTests
{
    private const double Hs071Optimum = 17.0140173;

    private readonly IpoptSolver _solver = new();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Solve_Hs071_ReachesPublishedOptimum(bool exactHessian)
    {
        var solution = _solver.Solve(new Hs071Program(exactHessian), new SolverSettings { Tolerance = 1e-8 }, CancellationToken.None);

        Assert.Equal(SolveStatus.Succeeded, solution.Status);
        Assert.Equal("Solve_Succeeded", solution.SolverStatus);
        Assert.True(Math.Abs(solution.Objective - Hs071Optimum) / Hs071Optimum < 1e-6, $"objective {solution.Objective:R}");
        Assert.Equal(1.0, solution.X[0], 5);
        Assert.Equal(4.743, solution.X[1], 3);
        Assert.InRange(solution.Iterations, 3, 200);
    }

    [Fact]
    public void Solve_InfiniteBounds_LeavesTheCallersShapeAsItWas()
    {
        // Issue 12: IPOPT wants its own "infinite" (1e19); the solver used to write it into the caller's arrays.
        var program = new Hs071Program();
        var before = program.Shape with { Start = [.. program.Shape.Start], ConstraintUpper = [.. program.Shape.ConstraintUpper] };

        _solver.Solve(program, new SolverSettings(), CancellationToken.None);

        Assert.Equal(double.PositiveInfinity, program.Shape.ConstraintUpper[0]);
        Assert.Equal(before.ConstraintUpper, program.Shape.ConstraintUpper);
        Assert.Equal(before.Start, program.Shape.Start);
    }

    [Fact]
    public void Solve_IterationLimit_IsAResultNotAnException()
    {
        var solution = _solver.Solve(new Hs071Program(), new SolverSettings { MaxIterations = 2 }, CancellationToken.None);

        Assert.Equal(SolveStatus.LimitReached, solution.Status);
        Assert.Equal("Maximum_Iterations_Exceeded", solution.SolverStatus);
        Assert.False(solution.IsSuccess);
    }

    [Fact]
    public void Solve_TimeLimit_CountsElapsedTimeThroughTheRedirectedClock()
    {
        // Each objective evaluation sleeps: no CPU time passes, elapsed time does. With IPOPT's own getrusage
        // clock this solve would run to its optimum; with the monotonic clock it stops at the limit.
        var program = new Observed(new Hs071Program(), _ => Thread.Sleep(20));
        var settings = new SolverSettings { Options = new Dictionary<string, object> { ["max_cpu_time"] = 0.1 } };

        var solution = _solver.Solve(program, settings, CancellationToken.None);

        Assert.True(_solver.UsesMonotonicClock);
        Assert.Equal("Maximum_CpuTime_Exceeded", solution.SolverStatus);
        Assert.Equal(SolveStatus.LimitReached, solution.Status);
        Assert.InRange(solution.Seconds, 0.1, 5);
    }

    [Fact]
    public void Solve_WarmStartFromTheOptimum_ConvergesInFewerIterations()
    {
        var cold = _solver.Solve(new Hs071Program(), new SolverSettings(), CancellationToken.None);
        var program = new RestartedProgram(new Hs071Program(), cold.X);

        var warm = _solver.Solve(program, new SolverSettings { WarmStart = cold.Multipliers }, CancellationToken.None);

        Assert.NotNull(cold.Multipliers);
        Assert.Equal(SolveStatus.Succeeded, warm.Status);
        Assert.Equal(Hs071Optimum, warm.Objective, 5);
        Assert.True(warm.Iterations < cold.Iterations, $"warm {warm.Iterations} iterations, cold {cold.Iterations}");
        // The inequality constraint x1·x2·x3·x4 ≥ 25 is active at the optimum: its multiplier is not zero.
        Assert.True(Math.Abs(cold.Multipliers!.Constraints[0]) > 1e-3, $"multiplier {cold.Multipliers.Constraints[0]}");
    }

    [Fact]
    public void Solve_WarmStartOfTheWrongSize_IsRefused()
    {
        var settings = new SolverSettings { WarmStart = new Multipliers([1], [0, 0, 0, 0], [0, 0, 0, 0]) };

        var error = Assert.Throws<ArgumentException>(() => _solver.Solve(new Hs071Program(), settings, CancellationToken.None));
        Assert.Contains("1 constraint multipliers for a program that needs 2", error.Message);
    }

    [Fact]
    public void Solve_EvaluationAlwaysThrows_ReportsTheError()
    {
        var solution = _solver.Solve(new ThrowingProgram(), new SolverSettings(), CancellationToken.None);

        Assert.False(solution.IsSuccess);
        Assert.Equal("model exploded", solution.EvaluationError);
    }

    [Fact]
    public void Solve_Cancelled_StopsWithUserRequestedStop()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var solution = _solver.Solve(new Hs071Program(), new SolverSettings(), cancelled.Token);

        Assert.Equal("User_Requested_Stop", solution.SolverStatus);
        Assert.Equal(SolveStatus.Failed, solution.Status);
    }

    [Fact]
    public void Solve_PastItsDeadline_StopsAsNotConvergedAndFreesTheSolver()
    {
        // Issue 13: the deadline passes at the third evaluation of a solve that would otherwise run 3,000 iterations;
        // it must stop within an iteration or two, counted in evaluations rather than in time.
        using var deadline = new CancellationTokenSource();
        var program = new Observed(new Hs071Program(), evaluation => CancelAt(evaluation, 3, deadline));
        var settings = new SolverSettings { Tolerance = 1e-300, MaxIterations = 3000, Deadline = deadline.Token };

        var solution = _solver.Solve(program, settings, CancellationToken.None);
        var next = _solver.Solve(new Hs071Program(), new SolverSettings(), CancellationToken.None);

        Assert.Equal(SolveStatus.LimitReached, solution.Status);
        Assert.Equal(IpoptSolver.DeadlineStatus, solution.SolverStatus);
        Assert.InRange(program.Evaluations, 3, 3 + EvaluationsPerIteration);
        Assert.Equal(SolveStatus.Succeeded, next.Status);
    }

    [Fact]
    public void Solve_CancelledInFlight_StopsWithinAnIteration()
    {
        // Shutdown reaches a running solve through its token; it is a stop, not a deadline.
        using var shutdown = new CancellationTokenSource();
        using var deadline = new CancellationTokenSource();
        var program = new Observed(new Hs071Program(), evaluation => CancelAt(evaluation, 3, shutdown));

        var solution = _solver.Solve(program, new SolverSettings { Tolerance = 1e-300, MaxIterations = 3000, Deadline = deadline.Token }, shutdown.Token);

        Assert.Equal("User_Requested_Stop", solution.SolverStatus);
        Assert.Equal(SolveStatus.Failed, solution.Status);
        Assert.InRange(program.Evaluations, 3, 3 + EvaluationsPerIteration);
    }

    [Fact]
    public void Solve_EightThreadsAtOnce_AllReachTheOptimum()
    {
        var objectives = new double[8];
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            objectives[i] = _solver.Solve(new Hs071Program(i % 2 == 0), new SolverSettings(), CancellationToken.None).Objective);

        Assert.All(objectives, o => Assert.Equal(Hs071Optimum, o, 5));
    }

    [Theory]
    [InlineData("mu_strategy", "adaptive", true)]
    [InlineData("max_cpu_time", 2.5, true)]
    [InlineData("print_frequency_iter", 3, true)]
    [InlineData("max_cpu_time", 5, true)]
    [InlineData("mu_stratgy", "adaptive", false)]
    [InlineData("mu_strategy", "sometimes", false)]
    [InlineData("tol", "small", false)]
    public void ValidateOption_UsesIpoptsOwnRegistry(string name, object value, bool valid)
    {
        var problem = _solver.ValidateOption(name, value);
        Assert.Equal(valid, problem is null);
        if (!valid)
        {
            Assert.Contains($"'{name}'", problem);
        }
    }

    [Fact]
    public void Solve_HessianPatternAboveTheDiagonal_IsRefusedBeforeIpoptSeesIt()
    {
        var program = new TransposedHessian(new Hs071Program());

        var error = Assert.Throws<SolverException>(() => new IpoptSolver().Solve(program, new SolverSettings(), CancellationToken.None));

        Assert.Contains("of the Hessian of the Lagrangian pattern, (0, 1), is outside the 4 × 4 lower triangle", error.Message, StringComparison.Ordinal);
    }

    // HS071 with its Hessian pattern given as the upper triangle, which the interface does not allow.
    private sealed class TransposedHessian(Hs071Program inner) : RestartedProgram(inner, inner.Shape.Start), INonlinearProgram
    {
        private readonly SparsityPattern _upper = new(inner.HessianStructure.Columns, inner.HessianStructure.Rows);

        SparsityPattern INonlinearProgram.HessianStructure => _upper;
    }

    private sealed class ThrowingProgram : INonlinearProgram
    {
        public ProgramShape Shape { get; } = new([0.5], [0], [1], [], []);

        public bool HasExactHessian => false;

        public SparsityPattern JacobianStructure => SparsityPattern.Empty;

        public SparsityPattern HessianStructure => SparsityPattern.Empty;

        public double Objective(ReadOnlySpan<double> x) => throw new InvalidOperationException("model exploded");

        public void ObjectiveGradient(ReadOnlySpan<double> x, Span<double> gradient) => throw new InvalidOperationException("model exploded");

        public void Constraints(ReadOnlySpan<double> x, Span<double> values)
        {
        }

        public void ConstraintJacobian(ReadOnlySpan<double> x, Span<double> values)
        {
        }

        public void LagrangianHessian(ReadOnlySpan<double> x, double objectiveFactor, ReadOnlySpan<double> multipliers, Span<double> values)
        {
        }
    }

    /// <summary>An iteration evaluates the objective once, and a few times more when its line search backtracks.</summary>
    private const int EvaluationsPerIteration = 10;

    private static void CancelAt(int evaluation, int at, CancellationTokenSource source)
    {
        if (evaluation == at)
        {
            source.Cancel();
        }
    }

    /// <summary>Another program, with a hook run at every evaluation of the objective (given its number, from 1), which it counts.</summary>
    private sealed class Observed(INonlinearProgram inner, Action<int> onObjective) : RestartedProgram(inner, inner.Shape.Start)
    {
        public int Evaluations { get; private set; }

        public override double Objective(ReadOnlySpan<double> x)
        {
            onObjective(++Evaluations);
            return base.Objective(x);
        }
    }
}
