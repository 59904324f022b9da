using System.Runtime.CompilerServices;
namespace ProcessOptimizer.Inference.Exact;

/// <summary>The error function to double precision, which .NET does not provide.</summary>
internal static class SpecialFunctions
{
    private static readonly double TwoOverSqrtPi = 2 / Math.Sqrt(Math.PI);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Erf(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        var a = Math.Abs(x);
        var value = a < 3 ? Series(a) : 1 - ContinuedFraction(a);
        return x < 0 ? -value : value;
    }

    /// <summary>erf's derivative, 2/√π · e^(−x²): one exponential, where erf itself is a series of tens of terms.</summary>
    public static double ErfSlope(double x) => TwoOverSqrtPi * Math.Exp(-x * x);

    // erf(x) = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1)): every term is positive, so nothing cancels.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Series(double x)
    {
        var term = x;
        var sum = x;
        for (var n = 1; n < 200 && term > 1e-17 * sum; n++)
        {
            term *= 2 * x * x / ((2 * n) + 1);
            sum += term;
        }

        return ErfSlope(x) * sum;
    }

    // erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), evaluated by the modified Lentz method.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double ContinuedFraction(double x)
    {
        const double tiny = 1e-300;
        var f = x;
        var c = x;
        var d = 0.0;
        for (var n = 1; n < 500; n++)
        {
            var an = n / 2.0;
            d = x + (an * d);
            d = Math.Abs(d) < tiny ? tiny : d;
            c = x + (an / c);
            c = Math.Abs(c) < tiny ? tiny : c;
            d = 1 / d;
            var delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-16)
            {
                break;
            }
        }

        return Math.Exp(-x * x) / (Math.Sqrt(Math.PI) * f);
    }
}
