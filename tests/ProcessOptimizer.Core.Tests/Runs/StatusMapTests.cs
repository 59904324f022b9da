using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Optimization;
using ProcessOptimizer.Core.Runs;

namespace ProcessOptimizer.Core.Tests.Runs;

public class StatusMapTests
{
    [Theory]
    [InlineData(new[] { SolveStatus.Succeeded, SolveStatus.Succeeded }, CycleStatus.Success)]
    [InlineData(new[] { SolveStatus.Succeeded, SolveStatus.LimitReached }, CycleStatus.NotConverged)]
    [InlineData(new[] { SolveStatus.LimitReached, SolveStatus.Failed }, CycleStatus.SolverFailed)]
    [InlineData(new[] { SolveStatus.Failed, SolveStatus.Infeasible }, CycleStatus.Infeasible)]
    public void Cycle_SeveralOptimizations_TheWorstStatusDecides(SolveStatus[] statuses, CycleStatus expected) =>
        Assert.Equal(expected, StatusMap.Cycle(statuses));

    [Fact]
    public void Outcome_NotConverged_IsStoredAsItsOwnOutcomeThatConsumesTheData()
    {
        var outcome = StatusMap.Outcome(CycleStatus.NotConverged, null);

        Assert.Equal(RunOutcome.NotConverged, outcome);
        Assert.Equal("not-converged", outcome.Name());
        Assert.Equal(outcome, RunOutcomes.Parse("not-converged"));
        Assert.Contains(outcome, RunOutcomes.ConsumedData);
    }

    [Theory]
    [InlineData(CycleFailure.BadData, RunOutcome.SkippedBadData)]
    [InlineData(CycleFailure.Formula, RunOutcome.Error)]
    public void Outcome_Error_IsSkippedDataOnlyForBadData(CycleFailure failure, RunOutcome expected) =>
        Assert.Equal(expected, StatusMap.Outcome(CycleStatus.Error, failure));

    [Fact]
    public void Outcome_EveryCycleStatus_HasAStoredOutcome()
    {
        foreach (var status in Enum.GetValues<CycleStatus>())
        {
            Assert.NotNull(StatusMap.Outcome(status, null).Name());
        }
    }
}
