using ProcessOptimizer.Core.Backtests;

namespace ProcessOptimizer.Api;

/// <summary>One page of a backtest's steps, in time order, then version.</summary>
public sealed record BacktestStepsPage(long Id, int Offset, int Limit, IReadOnlyList<BacktestStep> Steps);
