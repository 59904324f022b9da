namespace ProcessOptimizer.Core.Strategies;

/// <summary>The seed's <c>feature_engineering</c>: per-variable lags and the smoothing of Absolute inputs.</summary>
public sealed record FeatureEngineering(
    IReadOnlyDictionary<string, LagOffset> LagOffsets,
    SmoothingMethod Smoothing,
    double? Alpha)
{
    public static FeatureEngineering None { get; } = new(new Dictionary<string, LagOffset>(), SmoothingMethod.Mean, null);

    /// <summary>The entry for an input, by its name or its name without a <c>delta_</c> prefix.</summary>
    public LagOffset? For(string input) =>
        LagOffsets.GetValueOrDefault(input) ?? LagOffsets.GetValueOrDefault(Naming.WithoutDeltaPrefix(input));
}
