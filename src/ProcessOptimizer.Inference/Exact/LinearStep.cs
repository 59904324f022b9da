using System.Runtime.CompilerServices;
namespace ProcessOptimizer.Inference.Exact;

/// <summary>
/// y = W·x + b with W packed row by row (alpha folded in) and b per output (beta folded in). The map is linear, so
/// each output block is the same combination of the input blocks: values, first and second derivatives alike.
/// </summary>
internal sealed class LinearStep(PlanSlot input, PlanSlot output, double[] weights, double[] bias) : PlanStep(output)
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Run(Span<double> buffer, int inputs, int width)
    {
        var rows = input.Length;
        for (var j = 0; j < Output.Length; j++)
        {
            var target = buffer.Slice(Output.Offset + (j * Output.Stride), width);
            target.Clear();
            var row = weights.AsSpan(j * rows, rows);
            for (var i = 0; i < rows; i++)
            {
                var w = row[i];
                var source = buffer.Slice(input.Offset + (i * input.Stride), width);
                for (var t = 0; t < width; t++)
                {
                    target[t] += w * source[t];
                }
            }

            target[0] += bias[j];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Bound(Span<double> forms, ReadOnlySpan<double> half)
    {
        var (n, rows) = (half.Length, input.Length);
        for (var j = 0; j < Output.Length; j++)
        {
            var at = Output.At(j);
            var row = weights.AsSpan(j * rows, rows);
            var centre = bias[j];
            for (var i = 0; i < rows; i++)
            {
                centre += row[i] * forms[input.At(i)];
            }

            forms[at] = centre;
            if (Output.IsConstant)
            {
                continue;
            }

            var error = 0.0;
            for (var i = 0; i < rows; i++)
            {
                error += Math.Abs(row[i]) * Error(forms, input, i, n);
            }

            for (var k = 0; k < n; k++)
            {
                var sum = 0.0;
                for (var i = 0; i < rows; i++)
                {
                    sum += row[i] * Coefficient(forms, input, i, k);
                }

                forms[at + 1 + k] = sum;
            }

            forms[at + 1 + n] = error;
        }
    }
}
