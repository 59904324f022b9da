using System.Runtime.CompilerServices;

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
                var slope = 2 / Math.Sqrt(Math.PI) * Math.Exp(-x * x);
                return (SpecialFunctions.Erf(x), slope, -2 * x * slope);
        }
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
}
