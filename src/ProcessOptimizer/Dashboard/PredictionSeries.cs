namespace ProcessOptimizer.Dashboard;

/// <summary>
/// A predicted variable over a range, one point per run: the prediction at the recommendation against the
/// measured tag <paramref name="Measured"/> <paramref name="HorizonSeconds"/> after the run's data, with the
/// running bias (mean of predicted − measured) and mean absolute error from the start of the range.
/// </summary>
/// <param name="Actual">Null where nothing was measured yet at that time.</param>
/// <param name="Bias">Over the whole range; null without a single pair.</param>
public sealed record PredictionSeries(
    string Variable,
    string? Measured,
    string Units,
    double HorizonSeconds,
    IReadOnlyList<double> Times,
    IReadOnlyList<double> Predicted,
    IReadOnlyList<double?> Actual,
    IReadOnlyList<double?> RunningBias,
    IReadOnlyList<double?> RunningMae,
    double? Bias,
    double? Mae,
    int Pairs);
