namespace ProcessOptimizer.Dashboard;

/// <summary>
/// <c>GET /strategies/{name}/trends</c>: what the trends page draws, already reduced to at most
/// <paramref name="Points"/> points per series.
/// </summary>
/// <param name="RunsInRange">Every run of the range; <paramref name="Runs"/> holds at most <paramref name="Points"/> of them, the worst outcome of each time bucket.</param>
public sealed record TrendReport(
    string Strategy,
    DateTimeOffset From,
    DateTimeOffset To,
    int Points,
    IReadOnlyList<MeasuredSeries> Measured,
    IReadOnlyList<DecisionSeries> Decisions,
    IReadOnlyList<PredictionSeries> Predictions,
    RunSeries Runs,
    int RunsInRange);
