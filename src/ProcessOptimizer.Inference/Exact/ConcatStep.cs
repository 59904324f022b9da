using System.Runtime.CompilerServices;
namespace ProcessOptimizer.Inference.Exact;

/// <summary>Feature vectors one after the other; a constant part contributes values with zero derivatives.</summary>
internal sealed class ConcatStep(PlanSlot[] parts, PlanSlot output) : PlanStep(output)
{
    public override void Run(Span<double> buffer, int inputs, int width)
    {
        var used = Output.IsConstant ? 1 : width;
        var element = 0;
        foreach (var part in parts)
        {
            for (var i = 0; i < part.Length; i++, element++)
            {
                var target = buffer.Slice(Output.Offset + (element * Output.Stride), used);
                if (part.IsConstant)
                {
                    target.Clear();
                    target[0] = buffer[part.Offset + i];
                }
                else
                {
                    buffer.Slice(part.Offset + (i * part.Stride), used).CopyTo(target);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Bound(Span<double> forms, ReadOnlySpan<double> half)
    {
        var n = half.Length;
        var element = 0;
        foreach (var part in parts)
        {
            for (var i = 0; i < part.Length; i++, element++)
            {
                var at = Output.At(element);
                forms[at] = forms[part.At(i)];
                if (Output.IsConstant)
                {
                    continue;
                }

                for (var k = 0; k < n; k++)
                {
                    forms[at + 1 + k] = Coefficient(forms, part, i, k);
                }

                forms[at + 1 + n] = Error(forms, part, i, n);
            }
        }
    }
}
