namespace ProcessOptimizer.Dashboard;

/// <summary>A decision variable over a range, one point per run: the value each cycle saw, its recommendation, and the move window.</summary>
/// <param name="Times">Unix seconds of each run's data (its start when it read none).</param>
public sealed record DecisionSeries(string Variable, string Units, IReadOnlyList<double> Times, IReadOnlyList<double> Current, IReadOnlyList<double> Recommended, IReadOnlyList<double> Low, IReadOnlyList<double> High);
