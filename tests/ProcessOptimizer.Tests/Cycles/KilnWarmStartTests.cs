using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Core.Strategies;
using ProcessOptimizer.Demo;
using ProcessOptimizer.Solver.Ipopt;

namespace ProcessOptimizer.Tests.Cycles;

/// <summary>
/// Issue 19: the loop's warm starts change how a cycle gets to its answer, never the answer. Consecutive minutes of
/// the kiln history run as the loop runs them (each cycle from the one before) and cold, side by side.
/// </summary>
public class KilnWarmStartTests
{
    [Fact]
    public async Task WarmCycles_KilnWindows_SameOutcomeAndRecommendationAsCold()
    {
        using var kiln = await KilnStrategy.LoadAsync();
        var compiled = kiln.Compiled;
        var history = ExampleHistory.Read(TestServers.Kiln);
        var runner = new CycleRunner(new IpoptSolver());
        var decisions = kiln.Definition.SkillsOf<OptimizationSkill>().SelectMany(o => o.Inputs).ToHashSet();
        CycleInput WindowEndingAt(int last) => new([.. history.Rows.Skip(last - 85).Take(86).Select(r =>
            new ProcessRow(r.Timestamp, history.Columns.Zip(r.Values).ToDictionary(p => p.First, p => p.Second)))]);

        var (compared, warmStarted, infeasible, coldSolves, warmSolves) = (0, 0, 0, 0, 0);
        // Three stretches of consecutive minutes: early, middle and the end of the history.
        foreach (var end in new[] { 200, history.Rows.Count / 2, history.Rows.Count - 1 })
        {
            CycleWarmStart? previous = null;
            for (var last = end - 7; last <= end; last++)
            {
                var cold = runner.Run(compiled, WindowEndingAt(last), new SolverSettings(), CancellationToken.None);
                var warm = runner.Run(compiled, WindowEndingAt(last), new SolverSettings { Previous = previous }, CancellationToken.None);
                previous = warm.Next;

                Assert.Equal(cold.Status, warm.Status);
                // The same cost to the last digits. On the feasible minutes the kiln's cost sits at its floor (-1) over a
                // small flat region, so a solve that starts elsewhere may end at another point of it: the fan speed and
                // the secondary air then differ by up to 0.03 % (0.2 of 800 rpm), never the coal or the feed.
                Assert.True(Math.Abs(cold.CostAtRecommended!.Value - warm.CostAtRecommended!.Value) <= 1e-9 * Math.Max(1, Math.Abs(cold.CostAtRecommended.Value)), $"minute {last}: cost cold {cold.CostAtRecommended:R}, warm {warm.CostAtRecommended:R}");
                foreach (var (c, w) in cold.Variables.Zip(warm.Variables).Where(p => decisions.Contains(p.First.Name)))
                {
                    Assert.True(Math.Abs(c.Recommended - w.Recommended) <= 1e-3 * Math.Max(1, Math.Abs(c.Recommended)), $"minute {last}, {c.Name}: cold {c.Recommended:R}, warm {w.Recommended:R}");
                }

                Assert.Equal(cold.MostViolated?.Variable, warm.MostViolated?.Variable);
                compared++;
                warmStarted += warm.Solver.Sum(s => s.WarmStarts);
                if (cold.Status == CycleStatus.Infeasible && last > end - 7)
                {
                    infeasible++;
                    coldSolves += cold.Solver.Sum(s => s.Solves);
                    warmSolves += warm.Solver.Sum(s => s.Solves);
                }
            }
        }

        Assert.Equal(24, compared);
        Assert.True(warmStarted > 0, "no solve started from the previous cycle");
        // After an infeasible minute the feasibility search runs first, and the pieces are not solved when it finds nothing.
        Assert.True(infeasible > 0, "no infeasible minute after the first of its stretch");
        Assert.True(warmSolves < coldSolves, $"warm {warmSolves} solves against cold {coldSolves} on {infeasible} infeasible minutes");
    }

    [Fact]
    public async Task WarmCycle_SameWindowAgain_SucceedsWithTheSameCost()
    {
        // The loop runs the same data again when no new row came (a retried firing): started at its own optimum,
        // IPOPT stalled and the cycle ended not converged; such a solve is now made again cold.
        using var kiln = await KilnStrategy.LoadAsync();
        var input = ProcessOptimizer.Inputs.InputParser.ReadFile(Path.Combine(TestServers.Kiln, "window-latest.csv"));
        var runner = new CycleRunner(new IpoptSolver());

        var cold = runner.Run(kiln.Compiled, input, new SolverSettings(), CancellationToken.None);
        var again = runner.Run(kiln.Compiled, input, new SolverSettings { Previous = cold.Next }, CancellationToken.None);

        Assert.Equal(CycleStatus.Success, cold.Status);
        Assert.Equal(CycleStatus.Success, again.Status);
        Assert.Equal(cold.CostAtRecommended!.Value, again.CostAtRecommended!.Value, 9);
        Assert.True(again.Solver.Sum(s => s.WarmStarts) > 0);
    }
}
