using ProcessOptimizer.Core.Cycle;

namespace ProcessOptimizer.Core.Tests.Cycle;

/// <summary>Issue 19: plans are found by the caller's own lists, without a key per lookup, and a kept key owns copies.</summary>
public class PlanCacheTests
{
    private readonly CompiledStrategy _strategy = SeedCycle.Compile().Compiled;

    [Fact]
    public void Get_TheSameStepsAndDecisionsInOtherLists_ReturnsTheKeptPlan()
    {
        var steps = _strategy.PlainSteps;
        var kept = _strategy.Plans.Get(steps, [], [0, 1], 1);

        var found = _strategy.Plans.Get(new List<IStep>(steps), new List<ConditionRow>(), new List<int> { 0, 1 }, 1);

        Assert.Same(kept, found);
    }

    [Fact]
    public void Get_OtherDecisionsOrOrder_GivesAnotherPlan()
    {
        var steps = _strategy.PlainSteps;
        var kept = _strategy.Plans.Get(steps, [], [0, 1], 1);

        Assert.NotSame(kept, _strategy.Plans.Get(steps, [], [1, 0], 1));
        Assert.NotSame(kept, _strategy.Plans.Get(steps, [], [0], 1));
        Assert.NotSame(kept, _strategy.Plans.Get(steps, [], [0, 1], 2));
        Assert.NotSame(kept, _strategy.Plans.Get(steps, [], [0, 1], 1, cost: 0));
    }

    [Fact]
    public void Get_TheCallersListChangedAfterwards_TheKeptPlanKeepsItsOwnCopy()
    {
        var decisions = new List<int> { 0, 1 };
        var kept = _strategy.Plans.Get(_strategy.PlainSteps, [], decisions, 1);

        decisions[1] = 2;

        Assert.NotSame(kept, _strategy.Plans.Get(_strategy.PlainSteps, [], decisions, 1));
        Assert.Same(kept, _strategy.Plans.Get(_strategy.PlainSteps, [], [0, 1], 1));
        Assert.Equal([0, 1], kept.Decisions);
    }

    [Fact]
    public void Get_AKeptPlan_AllocatesNothing()
    {
        // A count of bytes, not a time: it does not depend on the machine's load.
        var (steps, rows, decisions) = (_strategy.PlainSteps, new List<ConditionRow>(), new List<int> { 0, 1 });
        var kept = _strategy.Plans.Get(steps, rows, decisions, 1);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var found = _strategy.Plans.Get(steps, rows, decisions, 1);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Same(kept, found);
        Assert.Equal(0, allocated);
    }
}
