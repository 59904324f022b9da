namespace ProcessOptimizer.Core.Strategies;

/// <summary>How an input enters a model.</summary>
public enum Variation
{
    Absolute,
    Increment,
}
