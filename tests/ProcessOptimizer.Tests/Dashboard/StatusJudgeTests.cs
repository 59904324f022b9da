using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Dashboard;

namespace ProcessOptimizer.Tests.Dashboard;

public class StatusJudgeTests
{
    private static readonly DataFreshness Fresh = new(DateTimeOffset.UnixEpoch, 30, 600, true);
    private static readonly ServiceFactor Good = ServiceFactor.Of(24, new Dictionary<RunOutcome, long> { [RunOutcome.Success] = 10 });

    [Fact]
    public void Judge_FreshDataSuccessAndGoodServiceFactor_IsHealthy() =>
        Assert.Equal(("healthy", 0), Summary(StatusReader.Judge("1.0.0", RunOutcome.Success, Fresh, Good, 1800)));

    [Fact]
    public void Judge_DataOlderThanTheUnhealthyLimit_IsUnhealthyAndSaysHowOld()
    {
        var (health, reasons) = StatusReader.Judge("1.0.0", RunOutcome.SkippedStale, new DataFreshness(DateTimeOffset.UnixEpoch, 7200, 600, false), Good, 1800);

        Assert.Equal("unhealthy", health);
        Assert.Contains("the newest data is 2 h old", reasons);
        Assert.Contains("the last cycle ended with skipped-stale", reasons);
    }

    [Fact]
    public void Judge_LowServiceFactor_IsDegradedWithTheCounts()
    {
        var day = ServiceFactor.Of(24, new Dictionary<RunOutcome, long> { [RunOutcome.Success] = 8, [RunOutcome.Infeasible] = 2 });

        var (health, reasons) = StatusReader.Judge("1.0.0", RunOutcome.Success, Fresh, day, 1800);

        Assert.Equal(0.8, day.Share!.Value, 12);
        Assert.Equal("degraded", health);
        Assert.Equal(["8 of 10 cycles in the last 24 h gave a usable recommendation"], reasons);
    }

    [Fact]
    public void Judge_NoVersionNoData_IsUnhealthy()
    {
        var (health, reasons) = StatusReader.Judge(null, null, new DataFreshness(null, null, 600, false), ServiceFactor.Of(24, new Dictionary<RunOutcome, long>()), 1800);

        Assert.Equal("unhealthy", health);
        Assert.Equal(["no strategy version is loaded", "no process data is stored"], reasons);
    }

    private static (string, int) Summary((string Health, IReadOnlyList<string> Reasons) judged) => (judged.Health, judged.Reasons.Count);
}
