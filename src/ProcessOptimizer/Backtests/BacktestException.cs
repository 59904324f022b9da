namespace ProcessOptimizer.Backtests;

/// <summary>A backtest cannot start: the request is invalid or a version does not load. The message says which and why.</summary>
public sealed class BacktestException(string message, Exception? inner = null) : Exception(message, inner);
