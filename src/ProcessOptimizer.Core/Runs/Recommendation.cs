namespace ProcessOptimizer.Core.Runs;

/// <summary>One variable of a stored run.</summary>
public sealed record Recommendation(string Variable, double Current, double Recommended, double Delta, string Units);
