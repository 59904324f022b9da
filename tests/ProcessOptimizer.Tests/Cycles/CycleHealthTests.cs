using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Cycles;

namespace ProcessOptimizer.Tests.Cycles;

public class CycleHealthTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Record_SeveralOutcomes_CountsEachByItsStoredName()
    {
        var health = new CycleHealth();

        health.Record(At, RunOutcome.Success, null);
        health.Record(At.AddMinutes(1), RunOutcome.NotConverged, null);
        health.Record(At.AddMinutes(2), RunOutcome.NotConverged, null);
        health.Record(At.AddMinutes(3), null, "crashed");

        Assert.Equal(new Dictionary<string, long> { ["success"] = 1, ["not-converged"] = 2 }, health.Counts);
        Assert.Equal("crashed", health.Last!.Error);
    }
}
