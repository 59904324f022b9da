namespace ProcessOptimizer.Core.Tests.Cycle.Solving;

/// <summary>A constraint row: <see cref="Min"/> ≤ g(x) ≤ <see cref="Max"/>, with ±1e20 for "no bound" as strategies write it.</summary>
internal sealed record Constraint(Term G, double Min, double Max)
{
    public const double None = 1e20;

    /// <summary>By how much g(x) is outside its range, 0 when inside.</summary>
    public double Violation(double[] x) => Math.Max(0, Math.Max(Min - G.Value(x), G.Value(x) - Max));
}
