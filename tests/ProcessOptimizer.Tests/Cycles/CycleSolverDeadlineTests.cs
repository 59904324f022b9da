using Microsoft.Extensions.Time.Testing;
using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Cycles;
using ProcessOptimizer.Demo;
using ProcessOptimizer.Solver.Ipopt;

namespace ProcessOptimizer.Tests.Cycles;

/// <summary>
/// Issue 15: the service waits for a worker's answer until the solve's deadline and a grace of 2 s, counted from when it
/// sent the request, while the worker counted the deadline from the start of its solve. A worker that took longer than
/// the grace to build an inline strategy (a loaded machine) solved on for the whole deadline, and every such request
/// was answered 503 "not ready" while the worker went on for nobody. The deadline counts from when the worker has the request.
/// </summary>
public class CycleSolverDeadlineTests
{
    private const int MaxSeconds = 3;

    [Fact]
    public async Task RunHere_DeadlineSpentBeforeTheSolve_StopsAtOnceAndSaysSo()
    {
        using var kiln = await KilnStrategy.LoadAsync();
        var clock = new FakeTimeProvider();
        var received = clock.GetTimestamp();
        clock.Advance(TimeSpan.FromSeconds(MaxSeconds));

        var result = CycleSolver.RunHere(new IpoptSolver(), kiln.Compiled, LatestWindow(), new SolverSettings(), MaxSeconds, clock, CancellationToken.None, received);

        Assert.Contains($"the solve was stopped at its deadline of {MaxSeconds} s; the result is not proven optimal", result.Warnings);
    }

    [Fact]
    public async Task RunHere_DeadlinePartlySpent_SolvesAsWithTheWholeDeadline()
    {
        using var kiln = await KilnStrategy.LoadAsync();
        var clock = new FakeTimeProvider();
        var whole = CycleSolver.RunHere(new IpoptSolver(), kiln.Compiled, LatestWindow(), new SolverSettings(), MaxSeconds, clock, CancellationToken.None);
        var received = clock.GetTimestamp();
        clock.Advance(TimeSpan.FromSeconds(MaxSeconds - 1));

        // The fake clock does not move during the solve: the second left is never used up.
        var rest = CycleSolver.RunHere(new IpoptSolver(), kiln.Compiled, LatestWindow(), new SolverSettings(), MaxSeconds, clock, CancellationToken.None, received);

        Assert.DoesNotContain(rest.Warnings, w => w.Contains("deadline", StringComparison.Ordinal));
        Assert.Equal(whole.Status, rest.Status);
        Assert.Equal(whole.CostAtRecommended, rest.CostAtRecommended);
        Assert.Equal(whole.Variables.Select(v => v.Recommended), rest.Variables.Select(v => v.Recommended));
    }

    private static CycleInput LatestWindow()
    {
        var history = ExampleHistory.Read(TestServers.Kiln);
        return new([.. history.Rows.TakeLast(86).Select(r => new ProcessRow(r.Timestamp, history.Columns.Zip(r.Values).ToDictionary(p => p.First, p => p.Second)))]);
    }
}
