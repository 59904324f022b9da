using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Cycles;

namespace ProcessOptimizer.Tests.Cycles;

/// <summary>Issue 19: what a strategy's loop keeps between cycles is tied to the version that produced it.</summary>
public class LoopWarmStartTests
{
    private static readonly CycleWarmStart Solved = new([new WarmSolve("optimize", 0, [1, 2], new Multipliers([0.5], [0, 0], [0, 0]))], WasInfeasible: false);

    [Fact]
    public void For_SameVersion_GivesWhatTheLastCycleLeft()
    {
        var memory = new LoopWarmStart();
        memory.Keep("1.0.0", Solved);

        Assert.Same(Solved, memory.For("1.0.0"));
        Assert.Same(Solved, memory.For("1.0.0"));
    }

    [Fact]
    public void For_AnotherVersion_StartsColdAndForgetsTheOldVersionsState()
    {
        var memory = new LoopWarmStart();
        memory.Keep("1.0.0", Solved);

        Assert.Null(memory.For("1.0.1"));
        // Switched back: the state was dropped at the switch, not kept aside.
        Assert.Null(memory.For("1.0.0"));
    }

    [Fact]
    public void Keep_NothingFromAFailedCycle_NextCycleStartsCold()
    {
        var memory = new LoopWarmStart();
        memory.Keep("1.0.0", Solved);
        memory.Keep("1.0.0", null);

        Assert.Null(memory.For("1.0.0"));
        Assert.Null(new LoopWarmStart().For("1.0.0"));
    }
}
