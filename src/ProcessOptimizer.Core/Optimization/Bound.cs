namespace ProcessOptimizer.Core.Optimization;

/// <summary>The one magnitude that means "no bound".</summary>
public static class Bound
{
    /// <summary>
    /// IPOPT reads any bound at or beyond ±1e19 as infinite (its <c>nlp_lower_bound_inf</c>), and strategies
    /// write "no bound" as 1e19 or more (the seed's templates use 1e20).
    /// </summary>
    public const double Infinite = 1e19;

    /// <summary>A strategy's bound as a program's: infinite when at or beyond <see cref="Infinite"/>.</summary>
    public static double FromStrategy(double value) =>
        value <= -Infinite ? double.NegativeInfinity : value >= Infinite ? double.PositiveInfinity : value;
}
