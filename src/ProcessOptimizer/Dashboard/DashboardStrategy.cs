using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Dashboard;

/// <summary>One strategy as the dashboard reads it: the name its loop's runs are stored under, and its versions.</summary>
public sealed record DashboardStrategy(string Name, StrategyRepository Repository);
