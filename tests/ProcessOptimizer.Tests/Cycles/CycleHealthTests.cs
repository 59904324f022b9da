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

    [Fact]
    public void Record_ATagStuckAtNaN_StartsTheSpellWithoutUsableDataAsAStoppedFeedDoes()
    {
        // A feed that delivers rows whose required tag is NaN gives no recommendation either; /health said healthy.
        var health = new CycleHealth();
        health.Record(At, RunOutcome.Success, null);

        health.Record(At.AddMinutes(1), RunOutcome.SkippedBadData, "the newest row has no valid value for Kiln_Coal_PV");
        health.Record(At.AddMinutes(2), RunOutcome.SkippedNoNewData, null);
        health.Record(At.AddMinutes(3), RunOutcome.SkippedStale, null);
        health.Record(At.AddMinutes(4), RunOutcome.Error, "the database is down");

        Assert.Equal(At.AddMinutes(1), health.StaleSince);
        health.Record(At.AddMinutes(5), RunOutcome.Infeasible, null);
        Assert.Null(health.StaleSince);
    }

    [Fact]
    public void Record_NoNewDataAfterAStaleSpell_DoesNotEndIt()
    {
        var health = new CycleHealth();

        health.Record(At, RunOutcome.SkippedStale, null);
        health.Record(At.AddMinutes(1), RunOutcome.SkippedNoNewData, null);

        Assert.Equal(At, health.StaleSince);
    }
}
