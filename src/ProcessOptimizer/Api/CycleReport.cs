namespace ProcessOptimizer.Api;

/// <summary>The last cycle's time and outcome.</summary>
public sealed record CycleReport(DateTimeOffset At, string? Outcome, string? Error);
