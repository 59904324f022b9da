namespace ProcessOptimizer.Core.Optimization;

/// <summary>
/// Where a solve writes its point, constraint values and multipliers. The caller owns it, so a solve allocates
/// nothing for its result; the <see cref="Solution"/> it returns refers to these arrays.
/// </summary>
/// <remarks>
/// One storage per solution that is kept: a solve overwrites whatever its storage held, so a storage is given to a
/// second solve only once the first solve's <see cref="Solution"/> is no longer needed.
/// </remarks>
public sealed class SolutionStorage
{
    public SolutionStorage(int variables, int constraints)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(variables);
        ArgumentOutOfRangeException.ThrowIfNegative(constraints);
        X = new double[variables];
        Constraints = new double[constraints];
        Multipliers = new Multipliers(new double[constraints], new double[variables], new double[variables]);
    }

    /// <summary>The point: the start going in, the solution coming out.</summary>
    public double[] X { get; }

    /// <summary>The constraint values at <see cref="X"/>.</summary>
    public double[] Constraints { get; }

    /// <summary>The multipliers: a warm start's going in, the solution's coming out.</summary>
    public Multipliers Multipliers { get; }

    /// <summary>A new storage sized for <paramref name="shape"/>.</summary>
    public static SolutionStorage For(ProgramShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return new SolutionStorage(shape.VariableCount, shape.ConstraintCount);
    }

    /// <summary>Whether this storage fits a program of <paramref name="shape"/>.</summary>
    public bool Fits(ProgramShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return X.Length == shape.VariableCount && Constraints.Length == shape.ConstraintCount;
    }
}
