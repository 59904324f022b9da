namespace ProcessOptimizer.Core.Tests.Cycle.Solving;

/// <summary>A piece of a formula, as text for the strategy and as a function for brute force.</summary>
internal sealed record Term(string Text, Func<double[], double> Value);
