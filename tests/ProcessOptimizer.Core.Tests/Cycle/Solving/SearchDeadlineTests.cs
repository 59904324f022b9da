using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Solver.Ipopt;

namespace ProcessOptimizer.Core.Tests.Cycle.Solving;

/// <summary>
/// Issue 13: a search of many solves stops at the cycle's deadline. Each solve after it stops at IPOPT's first
/// callback, but its piece is built first: 1,170 kinks at their switch point, flipped one solve each, held a solver
/// worker for two minutes past a 10 s deadline.
/// </summary>
public class SearchDeadlineTests
{
    // Twenty kinks in a constraint, where no epigraph covers them, all at their switch point wherever x is.
    private static readonly SmallProblem ManyKinksAtTheirSwitchPoint = new(
        [3, 3],
        [5, 5],
        [new Term("(x1 - 0.5)**2 + (x2 - 0.5)**2", _ => double.NaN)],
        [new Constraint(new Term("x1 + " + string.Join(" + ", Enumerable.Range(0, 20).Select(i => $"abs(x{(i % 2) + 1} - x{(i % 2) + 1})")), _ => double.NaN), -10, 10)]);

    [Fact]
    public void Run_ManyKinksWithoutADeadline_TriesAFlipOfEach()
    {
        var (result, solves) = Run(deadlineAfter: int.MaxValue);

        Assert.Equal(CycleStatus.Success, result.Status);
        Assert.True(solves > 20, $"{solves} solves");
        Assert.Contains(result.Warnings, w => w.Contains("20 flips of kinks at their switch point", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_DeadlinePassesAfterTheSidesAreFixed_NoFlipIsSolved()
    {
        var (result, solves) = Run(deadlineAfter: 2);

        Assert.Equal(2, solves);
        Assert.Contains(result.Warnings, w => w.Contains("the deadline stopped the search", StringComparison.Ordinal));
        Assert.Equal(0.5, result.Variables.Single(v => v.Name == "x1").Recommended, 5);
    }

    private static (CycleResult Result, int Solves) Run(int deadlineAfter)
    {
        var (strategy, input) = ManyKinksAtTheirSwitchPoint.Compiled();
        using var deadline = new CancellationTokenSource();
        var solver = new DeadlineAfterSolves(new IpoptSolver(), deadlineAfter, deadline);
        var result = new CycleRunner(solver).Run(strategy, input, new SolverSettings { Deadline = deadline.Token }, CancellationToken.None);
        return (result, solver.Solves);
    }

    private sealed class DeadlineAfterSolves(INonlinearSolver inner, int solves, CancellationTokenSource deadline) : INonlinearSolver
    {
        public int Solves { get; private set; }

        public string Name => inner.Name;

        public string? ValidateOption(string name, object value) => inner.ValidateOption(name, value);

        public Solution Solve(INonlinearProgram program, SolverSettings settings, SolutionStorage storage, CancellationToken cancellationToken)
        {
            var solution = inner.Solve(program, settings, storage, cancellationToken);
            if (++Solves == solves)
            {
                deadline.Cancel();
            }

            return solution;
        }
    }
}
