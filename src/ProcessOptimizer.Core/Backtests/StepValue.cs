namespace ProcessOptimizer.Core.Backtests;

/// <summary>A variable at a backtest step: at the current values and at the recommendation.</summary>
public sealed record StepValue(double Current, double Recommended);
