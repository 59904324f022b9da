namespace ProcessOptimizer.Core.Strategies;

/// <summary>The seed's naming conventions.</summary>
public static class Naming
{
    public const string DeltaPrefix = "delta_";
    public const string PredictedPrefix = "predicted_";

    public static string WithoutDeltaPrefix(string name) =>
        name.StartsWith(DeltaPrefix, StringComparison.Ordinal) ? name[DeltaPrefix.Length..] : name;
}
