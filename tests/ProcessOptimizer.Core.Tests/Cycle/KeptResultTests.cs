using System.Globalization;
using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Core.Tests.Cycle.Solving;
using ProcessOptimizer.Solver.Ipopt;

namespace ProcessOptimizer.Core.Tests.Cycle;

/// <summary>
/// Issue 19: a warm cycle rents its optimizations' arrays, its programs' bounds and shapes, its solves' storage, its
/// candidates' points, its search and its warnings' list from the compiled strategy and gives them back for the next
/// cycle; its variables are laid out by one layout kept with the strategy. A result its caller keeps (a stored run, the loop's warm start) must not
/// share any of that: later cycles of the same strategy, one after another or on several threads at once, leave every
/// value it holds as it was.
/// </summary>
public class KeptResultTests
{
    private const int Threads = 6;

    [Fact]
    public void Run_LaterCyclesOfTheSeedStrategy_LeaveAKeptResultUnchanged()
    {
        // Kinked pieces with their side conditions, a model and constraints, as the kiln has.
        var (compiled, _) = SeedCycle.Compile();
        var inputs = Enumerable.Range(0, Threads + 1)
            .Select(k => SeedCycle.History(100, newest => newest["Kiln_Coal_PV"] = 12.5 + (0.03 * k))).ToList();

        var kept = AssertKeptUnchanged(compiled, inputs);
        // The kink pieces' warning is kept as its numbers and written out when read: read after the later cycles, it
        // is the text it was when the result was made.
        Assert.Contains(kept.Warnings, w => w.Contains("combinations of", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_LaterCyclesOfAnEpigraphStrategy_LeaveAKeptResultUnchanged()
    {
        // Pieces with rows, an epigraph, models and constraints: every kind of program the cycle builds.
        var (compiled, input) = SparseStrategy.Build(24, 3);
        var inputs = Enumerable.Range(0, Threads + 1)
            .Select(k => CycleInput.FromSingleRow(input.Newest.Values.ToDictionary(p => p.Key, p => p.Value + (0.07 * k)))).ToList();

        AssertKeptUnchanged(compiled, inputs);
    }

    private static CycleResult AssertKeptUnchanged(CompiledStrategy compiled, List<CycleInput> inputs)
    {
        var kept = Run(compiled, inputs[0], null);
        var before = Snapshot(kept);

        // The next cycle starts warm from the kept one, as the loop runs it; then cycles of other minutes, serially
        // and on several threads at once.
        var next = Run(compiled, inputs[1], kept.Next);
        var others = new CycleResult[Threads];
        using var start = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(k => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < 3; i++)
            {
                others[k] = Run(compiled, inputs[1 + k], i == 0 ? kept.Next : others[k].Next);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Equal(before, Snapshot(kept));
        // Other minutes give other values: a test whose cycles all wrote the same values would prove nothing.
        Assert.NotEqual(before, Snapshot(next));
        Assert.All(others, o => Assert.NotEqual(before, Snapshot(o)));
        return kept;
    }

    private static CycleResult Run(CompiledStrategy compiled, CycleInput input, CycleWarmStart? previous)
    {
        var result = new CycleRunner(new IpoptSolver()).Run(compiled, input, new SolverSettings { Previous = previous }, CancellationToken.None);
        Assert.True(result.Status != CycleStatus.Error, result.Error);
        Assert.NotNull(result.Next);
        Assert.NotEmpty(result.Next.Solves);
        return result;
    }

    // Every value the result holds, written out exactly.
    private static string Snapshot(CycleResult result)
    {
        static string R(double value) => value.ToString("R", CultureInfo.InvariantCulture);
        static string All(double[] values) => string.Join(" ", values.Select(R));
        var lines = new List<string> { $"{result.Status} {result.CostAtCurrent?.ToString("R", CultureInfo.InvariantCulture)} {result.CostAtRecommended?.ToString("R", CultureInfo.InvariantCulture)}" };
        lines.AddRange(result.Variables.Select(v => $"{v.Name} {v.Category} {R(v.Current)} {R(v.Recommended)}"));
        // By index too: the variables are values laid out by the strategy, made when read.
        lines.AddRange(Enumerable.Range(0, result.Variables.Count).Select(i => $"{i} {result.Variables[i].Name} {R(result.Variables[i].Recommended)}"));
        lines.AddRange(result.Solver.Select(s => $"{s.Skill} {s.Status} {s.Iterations} {R(s.Objective)} {R(s.MaxConstraintViolation)} {s.Solves}"));
        lines.AddRange(result.Warnings);
        lines.AddRange(result.Next!.Solves.Select(s =>
            $"{s.Skill} {s.Index}: {All(s.X)} | {All(s.Multipliers.Constraints)} | {All(s.Multipliers.Lower)} | {All(s.Multipliers.Upper)}"));
        return string.Join("\n", lines);
    }
}
