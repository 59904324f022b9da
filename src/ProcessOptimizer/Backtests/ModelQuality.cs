namespace ProcessOptimizer.Backtests;

/// <summary>
/// A predicted variable's forecast at each step (made for the current values, at the window's newest row) against its
/// tag measured the horizon later. Error is predicted − measured.
/// </summary>
/// <param name="HorizonMinutes">Null when neither the model's metadata nor the request gives one; then there are no samples.</param>
/// <param name="R2">1 − Σerror² / Σ(measured − mean)²; null with fewer than two samples or constant measurements.</param>
/// <param name="Drift">The same figures over consecutive, equal slices of the period, oldest first.</param>
public sealed record ModelQuality(string Tag, double? HorizonMinutes, int Samples, double? Mae, double? Bias, double? R2, IReadOnlyList<DriftSlice> Drift);
