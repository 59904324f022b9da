namespace ProcessOptimizer.Backtests;

/// <summary>A step whose cycle has run, waiting for the next step of its version to say what the operators did.</summary>
internal sealed record StepDone(StepWork Work, Core.Backtests.BacktestStep Step);
