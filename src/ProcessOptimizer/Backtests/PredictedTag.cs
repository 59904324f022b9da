namespace ProcessOptimizer.Backtests;

/// <summary>A predicted variable and the measured tag it forecasts <see cref="Horizon"/> ahead (null when no horizon is known).</summary>
public sealed record PredictedTag(string Predicted, string Tag, TimeSpan? Horizon);
