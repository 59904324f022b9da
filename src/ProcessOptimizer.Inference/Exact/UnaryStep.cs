using System.Runtime.CompilerServices;
using ProcessOptimizer.Core.Formulas;

namespace ProcessOptimizer.Inference.Exact;

/// <summary>An elementwise activation, with the chain rule to second order: f''·∂x/∂r·∂x/∂c + f'·∂²x/∂r∂c.</summary>
internal sealed class UnaryStep(Activation activation, double alpha, PlanSlot input, PlanSlot output) : PlanStep(output)
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Run(Span<double> buffer, int inputs, int width)
    {
        for (var i = 0; i < Output.Length; i++)
        {
            var x = buffer.Slice(input.At(i), Output.IsConstant ? 1 : width);
            var y = buffer.Slice(Output.Offset + (i * Output.Stride), x.Length);
            var (f, d, d2) = Evaluate(x[0]);
            y[0] = f;
            for (var k = 1; k <= inputs && k < x.Length; k++)
            {
                y[k] = d * x[k];
            }

            for (int r = 0, p = 1 + inputs; p < x.Length; r++)
            {
                for (var c = 0; c <= r; c++, p++)
                {
                    y[p] = (d2 * x[1 + r] * x[1 + c]) + (d * x[p]);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Bound(Span<double> forms, ReadOnlySpan<double> half)
    {
        var n = half.Length;
        for (var i = 0; i < Output.Length; i++)
        {
            var at = Output.At(i);
            var centre = forms[input.At(i)];
            var (value, slope, _) = Evaluate(centre);
            forms[at] = value;
            if (Output.IsConstant)
            {
                continue;
            }

            // f(z) = f(c) + f'(ξ)(z − c) for some ξ within the input's reach: f'(c) is the form's slope, and how far
            // f' moves over that reach times the reach is the error it adds.
            var radius = Radius(forms, input, i, half);
            var (low, high) = (centre - radius, centre + radius);
            var slopes = Ends(Slope(low), Slope(high), low <= 0 && 0 <= high ? Slope(0) : double.NaN);
            var spread = Math.Max(slopes.High - slope, slope - slopes.Low);
            for (var k = 0; k < n; k++)
            {
                forms[at + 1 + k] = slope * Coefficient(forms, input, i, k);
            }

            forms[at + 1 + n] = (Math.Abs(slope) * Error(forms, input, i, n)) + (spread * radius);
        }
    }

    // Every activation's slope rises or falls on each side of 0, so its least and largest values over a range are at
    // the range's ends, or at 0 when the range holds 0.
    private static Interval Ends(double atLow, double atHigh, double atZero)
    {
        var ends = Interval.Point(atLow).Hull(Interval.Point(atHigh));
        return double.IsNaN(atZero) ? ends : ends.Hull(Interval.Point(atZero));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (double Value, double Slope, double Curvature) Evaluate(double x)
    {
        switch (activation)
        {
            case Activation.Relu:
                return (Math.Max(0, x), x > 0 ? 1 : 0, 0);
            case Activation.LeakyRelu:
                return (x > 0 ? x : alpha * x, x > 0 ? 1 : alpha, 0);
            case Activation.Sigmoid:
                var s = Sigmoid(x);
                return (s, s * (1 - s), s * (1 - s) * (1 - (2 * s)));
            case Activation.Tanh:
                var t = Math.Tanh(x);
                return (t, 1 - (t * t), -2 * t * (1 - (t * t)));
            case Activation.Softplus:
                var g = Sigmoid(x);
                return (x > 0 ? x + Math.Log(1 + Math.Exp(-x)) : Math.Log(1 + Math.Exp(x)), g, g * (1 - g));
            default:
                var slope = SpecialFunctions.ErfSlope(x);
                return (SpecialFunctions.Erf(x), slope, -2 * x * slope);
        }
    }

    // The slope alone, as Evaluate gives it: a range's ends need no value, and erf's value is a series of tens of terms
    // where its slope is one exponential: on the kiln's network this takes three of every four erf series out of a bound.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double Slope(double x) => activation == Activation.Erf ? SpecialFunctions.ErfSlope(x) : Evaluate(x).Slope;

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
}
