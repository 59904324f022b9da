using ProcessOptimizer.Cycles;
using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Dashboard;

/// <summary>
/// One strategy as the dashboard reads it: the name its loop's runs are stored under, its versions, the cycles
/// this process ran (with the next one due), its interval, and the table its process data is read from.
/// </summary>
public sealed record DashboardStrategy(string Name, StrategyRepository Repository, CycleHealth Cycles, int IntervalSeconds, string DataTable);
