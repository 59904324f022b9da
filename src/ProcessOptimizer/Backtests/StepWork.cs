using ProcessOptimizer.Cycles;

namespace ProcessOptimizer.Backtests;

/// <summary>One version's cycle at one step, as read and guarded; <see cref="Sequence"/> orders steps by time, then version.</summary>
/// <param name="Measured">Per predicted variable, the value its tag took the horizon after the window's newest row.</param>
internal sealed record StepWork(int Sequence, DateTimeOffset Time, BacktestVersion Version, CycleWindow Window, IReadOnlyDictionary<string, double> Measured);
