namespace ProcessOptimizer.Inference.Scalers;

/// <summary>
/// An affine feature scaler, <c>scaled = Slope · x + Intercept</c>. scikit-learn's MinMaxScaler is
/// <c>x·scale_ + min_</c>; its StandardScaler is <c>(x − mean_)/scale_</c>.
/// </summary>
public sealed record Scaler(string Kind, double Slope, double Intercept)
{
    public static Scaler Identity { get; } = new("Identity", 1, 0);

    public static Scaler MinMax(double min, double scale) => new("MinMaxScaler", scale, min);

    public static Scaler Standard(double mean, double scale) => new("StandardScaler", 1 / scale, -mean / scale);

    public double Transform(double x) => (Slope * x) + Intercept;

    public double Inverse(double scaled) => (scaled - Intercept) / Slope;
}
