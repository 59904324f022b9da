using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Optimization;

namespace ProcessOptimizer.Core.Tests.Cycle.Solving;

/// <summary>
/// Issue 19: structure is built once per compiled strategy and shared, while each solve rents scratch of its own.
/// Solves of one strategy on several threads at once must give exactly what they give one at a time, and a warm
/// solve's evaluations must allocate nothing.
/// </summary>
public class PlanSharingTests
{
    private const int Threads = 6;

    [Fact]
    public void Run_SameStrategyOnSeveralThreadsAtOnce_GivesTheSerialValuesExactly()
    {
        // Kinks (pieces with rows), an epigraph, models and constraints: every kind of plan and scratch.
        var (strategy, input) = SparseStrategy.Build(24, 3);
        var inputs = Enumerable.Range(0, Threads).Select(k => Shifted(input, 0.07 * k)).ToList();
        var serial = inputs.Select(i => Probe(strategy, i)).ToList();

        var concurrent = new (List<double> Values, CycleResult Result)[Threads][];
        using var start = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(k => new Thread(() =>
        {
            start.SignalAndWait();
            concurrent[k] = [.. Enumerable.Range(0, 4).Select(_ => Probe(strategy, inputs[k]))];
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        for (var k = 0; k < Threads; k++)
        {
            Assert.True(serial[k].Values.Count > 1000, $"{serial[k].Values.Count} values probed");
            foreach (var (values, result) in concurrent[k])
            {
                Assert.Equal(serial[k].Values, values);
                Assert.Equal(serial[k].Result.Status, result.Status);
                Assert.Equal(serial[k].Result.CostAtRecommended, result.CostAtRecommended);
                Assert.Equal(serial[k].Result.Variables.Select(v => v.Recommended), result.Variables.Select(v => v.Recommended));
            }
        }

        // Different inputs give different values: a test whose threads all computed the same thing would prove nothing.
        Assert.NotEqual(serial[0].Values, serial[1].Values);
    }

    [Fact]
    public void Run_WarmSolve_EvaluationsAllocateNothing()
    {
        var (strategy, input) = SparseStrategy.Build(40, 6);
        Probe(strategy, input);
        var warm = new ProbingSolver();

        new CycleRunner(warm).Run(strategy, input, new SolverSettings(), CancellationToken.None);

        Assert.True(warm.Values.Count > 1000, $"{warm.Values.Count} values probed");
        Assert.Equal(0, warm.EvaluationBytes);
    }

    private static (List<double> Values, CycleResult Result) Probe(CompiledStrategy strategy, CycleInput input)
    {
        var solver = new ProbingSolver();
        var result = new CycleRunner(solver).Run(strategy, input, new SolverSettings(), CancellationToken.None);
        Assert.True(result.Status != CycleStatus.Error, result.Error);
        return (solver.Values, result);
    }

    private static CycleInput Shifted(CycleInput input, double by) =>
        CycleInput.FromSingleRow(input.Newest.Values.ToDictionary(p => p.Key, p => p.Value + by));
}
