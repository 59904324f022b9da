namespace ProcessOptimizer.Core.Formulas;

/// <summary>A closed range of real numbers, possibly unbounded; used to bound a formula over a box of inputs.</summary>
public readonly record struct Interval(double Low, double High)
{
    /// <summary>Every number: what is known about a value nothing bounds.</summary>
    public static readonly Interval Whole = new(double.NegativeInfinity, double.PositiveInfinity);

    public static Interval Point(double value) => new(value, value);

    public bool IsEmpty => !(Low <= High);

    public bool Contains(double value) => Low <= value && value <= High;

    public Interval Intersect(Interval other) => new(Math.Max(Low, other.Low), Math.Min(High, other.High));

    public Interval Hull(Interval other) => new(Math.Min(Low, other.Low), Math.Max(High, other.High));

    public static Interval operator +(Interval a, Interval b) => new(a.Low + b.Low, a.High + b.High);

    public static Interval operator -(Interval a) => new(-a.High, -a.Low);

    public static Interval operator -(Interval a, Interval b) => a + -b;

    public static Interval operator *(Interval a, Interval b)
    {
        if (a.IsEmpty || b.IsEmpty)
        {
            return a.IsEmpty ? a : b;
        }

        // 0 · ∞ is 0 here: a bound of zero width times an unbounded range is still zero.
        static double Times(double x, double y) => x == 0 || y == 0 ? 0 : x * y;
        double p = Times(a.Low, b.Low), q = Times(a.Low, b.High), r = Times(a.High, b.Low), s = Times(a.High, b.High);
        return new(Math.Min(Math.Min(p, q), Math.Min(r, s)), Math.Max(Math.Max(p, q), Math.Max(r, s)));
    }

    public static Interval operator /(Interval a, Interval b) =>
        b.Contains(0) ? Whole : a * new Interval(1 / b.High, 1 / b.Low);

    /// <summary>The image under a function that does not decrease.</summary>
    public Interval Rising(Func<double, double> f) => new(f(Low), f(High));
}
