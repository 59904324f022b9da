namespace ProcessOptimizer.Core.Optimization;

/// <summary>Sizes, bounds and start point of a <see cref="INonlinearProgram"/>. Infinite bounds are allowed.</summary>
public sealed record ProgramShape(
    double[] Start,
    double[] LowerBounds,
    double[] UpperBounds,
    double[] ConstraintLower,
    double[] ConstraintUpper)
{
    public int VariableCount => Start.Length;

    public int ConstraintCount => ConstraintLower.Length;
}
