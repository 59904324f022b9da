namespace ProcessOptimizer.Core.Strategies;

/// <summary>How the history window of an Absolute input is reduced to one value.</summary>
public enum SmoothingMethod
{
    Mean,
    Ewm,
}
