namespace ProcessOptimizer.Core.Formulas;

/// <summary>
/// Python's arithmetic where it differs from C#'s. The checked variants throw where Python raises,
/// instead of letting an infinity or NaN travel on into a recommendation.
/// </summary>
internal static class PythonMath
{
    public static double Max(double a, double b) => b > a ? b : a;

    public static double Min(double a, double b) => b < a ? b : a;

    public static double Modulo(double a, double b) => a - (b * Math.Floor(a / b));

    public static double CheckedDivide(double a, double b, int position) =>
        b == 0 ? throw new FormulaDomainException("division by zero", position) : a / b;

    public static double CheckedFloorDivide(double a, double b, int position) =>
        b == 0 ? throw new FormulaDomainException("floor division by zero", position) : Math.Floor(a / b);

    public static double CheckedModulo(double a, double b, int position) =>
        b == 0 ? throw new FormulaDomainException("modulo by zero", position) : Modulo(a, b);

    public static double CheckedLog(double a, int position) =>
        a > 0 ? Math.Log(a) : throw new FormulaDomainException($"log of non-positive number {a:R}", position);

    public static double CheckedLog10(double a, int position) =>
        a > 0 ? Math.Log10(a) : throw new FormulaDomainException($"log10 of non-positive number {a:R}", position);

    public static double CheckedSqrt(double a, int position) =>
        a >= 0 ? Math.Sqrt(a) : throw new FormulaDomainException($"sqrt of negative number {a:R}", position);

    public static double CheckedPower(double a, double b, int position)
    {
        if (a == 0 && b < 0)
        {
            throw new FormulaDomainException("zero raised to a negative power", position);
        }

        if (a < 0 && b != Math.Floor(b))
        {
            throw new FormulaDomainException($"negative number {a:R} raised to fractional power {b:R}", position);
        }

        return b == 2 ? a * a : Math.Pow(a, b);
    }
}
