using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Solver.Ipopt;

namespace ProcessOptimizer.Solver.Tests.Ipopt;

/// <summary>Issue 19: a solve writes its result into storage its caller owns, and allocates nothing of its own.</summary>
public class SolutionStorageTests
{
    private readonly IpoptSolver _solver = new();

    [Fact]
    public void Solve_IntoCallersStorage_ReturnsTheStorageWithTheAnswerOfNewStorage()
    {
        var expected = _solver.Solve(new Hs071Program(), new SolverSettings(), CancellationToken.None);
        var storage = new SolutionStorage(4, 2);

        var solution = _solver.Solve(new Hs071Program(), new SolverSettings(), storage, CancellationToken.None);

        Assert.Same(storage.X, solution.X);
        Assert.Same(storage.Constraints, solution.Constraints);
        Assert.Same(storage.Multipliers, solution.Multipliers);
        Assert.Equal(expected.X, solution.X);
        Assert.Equal(expected.Constraints, solution.Constraints);
        Assert.Equal(expected.Multipliers!.Lower, solution.Multipliers!.Lower);
        Assert.Equal(expected.Iterations, solution.Iterations);
    }

    [Fact]
    public void Solve_StorageUsedBeforeWithAWarmStart_StartsAsNewStorageWould()
    {
        // What an earlier solve left in the storage (its point, its multipliers) must not leak into a cold solve.
        var storage = new SolutionStorage(4, 2);
        var cold = _solver.Solve(new Hs071Program(), new SolverSettings(), CancellationToken.None);
        _solver.Solve(new RestartedProgram(new Hs071Program(), cold.X), new SolverSettings { WarmStart = cold.Multipliers }, storage, CancellationToken.None);

        var again = _solver.Solve(new Hs071Program(), new SolverSettings(), storage, CancellationToken.None);

        Assert.Equal(cold.Iterations, again.Iterations);
        Assert.Equal(cold.X, again.X);
    }

    [Fact]
    public void Solve_WarmStartFromItsOwnStorage_ConvergesFromThere()
    {
        var storage = new SolutionStorage(4, 2);
        var cold = _solver.Solve(new Hs071Program(), new SolverSettings(), storage, CancellationToken.None);
        var coldIterations = cold.Iterations;

        var warm = _solver.Solve(new RestartedProgram(new Hs071Program(), [.. storage.X]), new SolverSettings { WarmStart = storage.Multipliers }, storage, CancellationToken.None);

        Assert.Equal(SolveStatus.Succeeded, warm.Status);
        Assert.True(warm.Iterations < coldIterations, $"warm {warm.Iterations} iterations, cold {coldIterations}");
    }

    [Fact]
    public void Solve_ALaterSolveIntoOtherStorage_LeavesAnEarlierSolutionAsItWas()
    {
        var first = _solver.Solve(new Hs071Program(), new SolverSettings(), new SolutionStorage(4, 2), CancellationToken.None);
        var (x, constraints, lower) = (first.X.ToArray(), first.Constraints.ToArray(), first.Multipliers!.Lower.ToArray());

        _solver.Solve(new Hs071Program(exactHessian: false), new SolverSettings { MaxIterations = 3 }, new SolutionStorage(4, 2), CancellationToken.None);

        Assert.Equal(x, first.X);
        Assert.Equal(constraints, first.Constraints);
        Assert.Equal(lower, first.Multipliers.Lower);
    }

    [Fact]
    public void Solve_StorageOfTheWrongSize_IsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => _solver.Solve(new Hs071Program(), new SolverSettings(), new SolutionStorage(4, 1), CancellationToken.None));

        Assert.Contains("storage for 4 variables and 1 constraints given to a program of 4 and 2", error.Message);
    }

    [Fact]
    public void Solve_AgainIntoTheSameStorage_AllocatesNothing()
    {
        // A count of bytes, not a time: it does not depend on the machine's load.
        var (program, settings, storage) = (new Hs071Program(), new SolverSettings(), new SolutionStorage(4, 2));
        _solver.Solve(program, settings, storage, CancellationToken.None);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var solution = _solver.Solve(program, settings, storage, CancellationToken.None);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(SolveStatus.Succeeded, solution.Status);
        Assert.Equal(0, allocated);
    }
}
