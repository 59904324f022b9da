namespace ProcessOptimizer.Results;

/// <summary>The most violated constraint when the solver failed.</summary>
public sealed record ViolationEntry(string Variable, double Value, double OpMin, double OpMax, double Violation);
