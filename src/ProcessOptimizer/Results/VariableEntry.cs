namespace ProcessOptimizer.Results;

/// <summary>One variable, in the seed's fields.</summary>
public sealed record VariableEntry(string Category, double UserInputValue, double OptimizerSuggestedValue, double Delta, string Units, string Type);
