using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Cycles;

namespace ProcessOptimizer.Tests.Cycles;

public class RunKeysTests
{
    private static readonly DateTimeOffset Minute = new(2026, 1, 1, 0, 5, 0, TimeSpan.Zero);

    [Fact]
    public void Loop_ErrorOnAMinute_ClaimsNotTheMinuteSoTheNextCycleCanSolveIt()
    {
        // Issue 14: an error did not solve its minute. Were the minute claimed by the error's data key, the cycle
        // that solves it afterwards would be refused as a second consumption of the same row.
        var failed = RunKeys.Loop(Run(RunOutcome.Error), slot: null);
        var solved = RunKeys.Loop(Run(RunOutcome.Success), slot: null);
        var badData = RunKeys.Loop(Run(RunOutcome.SkippedBadData), slot: null);

        Assert.Null(failed.DataKey);
        Assert.Equal("kiln|data|2026-01-01T00:05:00.0000000Z", solved.DataKey);
        Assert.Equal(solved.DataKey, badData.DataKey);
        Assert.NotEqual(failed.Key, solved.Key);
    }

    private static RunRecord Run(RunOutcome outcome) => new()
    {
        StrategyName = "kiln",
        StrategyVersion = "1.0.0",
        DataTimestamp = Minute,
        StartedAt = Minute.AddSeconds(1),
        FinishedAt = Minute.AddSeconds(2),
        Outcome = outcome,
    };
}
