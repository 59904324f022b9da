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
}
