using ProcessOptimizer.Core.Backtests;
using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Core.Strategies;
using ProcessOptimizer.Cycles;

namespace ProcessOptimizer.Backtests;

/// <summary>Turns a backtest cycle's outcome into its stored step, with the same outcome and message a live run would have.</summary>
internal static class BacktestSteps
{
    /// <summary>Outcomes of cycles that reached the solver: they have recommendations and a cost.</summary>
    public static readonly IReadOnlySet<RunOutcome> Solved = new HashSet<RunOutcome> { RunOutcome.Success, RunOutcome.Infeasible, RunOutcome.SolverFailed, RunOutcome.NotConverged };

    public static BacktestStep Skipped(StepWork work) => new()
    {
        Version = work.Version.Version,
        Time = work.Time,
        DataTimestamp = work.Window.DataTimestamp,
        Outcome = work.Window.Skip ?? RunOutcome.Error,
        Message = work.Window.Message,
    };

    public static BacktestStep Failed(StepWork work, string message) => Skipped(work) with { Outcome = RunOutcome.Error, Message = message };

    public static BacktestStep Of(StepWork work, CycleResult result)
    {
        var byName = result.Variables.ToDictionary(v => v.Name, StringComparer.Ordinal);
        return Skipped(work) with
        {
            Outcome = RunRecords.Outcome(result),
            Cost = result.CostAtRecommended,
            CostAtCurrent = result.CostAtCurrent,
            Message = RunRecords.Message(result),
            Decisions = work.Version.Decisions.Where(byName.ContainsKey).ToDictionary(d => d, d => new StepValue(byName[d].Current, byName[d].Recommended), StringComparer.Ordinal),
            Predictions = result.Variables.Where(v => v.Type == VariableType.Predicted).ToDictionary(v => v.Name, v => new StepValue(v.Current, v.Recommended), StringComparer.Ordinal),
            Measured = work.Measured,
        };
    }
}
