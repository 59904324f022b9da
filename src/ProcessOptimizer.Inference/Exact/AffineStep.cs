using System.Runtime.CompilerServices;
namespace ProcessOptimizer.Inference.Exact;

/// <summary>
/// y = slope·x + offset per feature: inference-mode batch normalization, folded from its four parameter tensors
/// when the plan is built. Every derivative scales by the slope.
/// </summary>
internal sealed class AffineStep(PlanSlot input, PlanSlot output, double[] slope, double[] offset) : PlanStep(output)
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Run(Span<double> buffer, int inputs, int width)
    {
        for (var i = 0; i < Output.Length; i++)
        {
            var x = buffer.Slice(input.At(i), Output.IsConstant ? 1 : width);
            var y = buffer.Slice(Output.Offset + (i * Output.Stride), x.Length);
            y[0] = (slope[i] * x[0]) + offset[i];
            for (var t = 1; t < x.Length; t++)
            {
                y[t] = slope[i] * x[t];
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
            forms[at] = (slope[i] * forms[input.At(i)]) + offset[i];
            if (Output.IsConstant)
            {
                continue;
            }

            for (var k = 0; k < n; k++)
            {
                forms[at + 1 + k] = slope[i] * Coefficient(forms, input, i, k);
            }

            forms[at + 1 + n] = Math.Abs(slope[i]) * Error(forms, input, i, n);
        }
    }
}
