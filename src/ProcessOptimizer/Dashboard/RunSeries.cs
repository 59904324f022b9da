namespace ProcessOptimizer.Dashboard;

/// <summary>Runs over a range in columns, for the cost, cycle-time and outcome charts; each id links to its run.</summary>
/// <param name="Times">Unix seconds of each run's data (its start when it read none).</param>
public sealed record RunSeries(IReadOnlyList<double> Times, IReadOnlyList<long> Ids, IReadOnlyList<string> Outcomes, IReadOnlyList<double?> Costs, IReadOnlyList<double> DurationsMs);
