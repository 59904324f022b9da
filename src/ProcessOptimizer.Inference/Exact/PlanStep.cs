using System.Runtime.CompilerServices;
namespace ProcessOptimizer.Inference.Exact;

/// <summary>
/// One operation of a <see cref="NetworkPlan"/>, with its operands resolved to buffer positions and its
/// parameters packed when the plan was built. A step writes every entry of its output that the call uses, so the
/// buffer is never cleared between calls.
/// </summary>
internal abstract class PlanStep(PlanSlot output)
{
    public PlanSlot Output { get; } = output;

    /// <param name="buffer">The call's evaluation buffer.</param>
    /// <param name="inputs">n, the network's input count.</param>
    /// <param name="width">The entries of each computed block in use: 1 + n, or 1 + n + pairs with second derivatives.</param>
    public abstract void Run(Span<double> buffer, int inputs, int width);

    /// <summary>
    /// The output as affine forms of the inputs, each element a centre value plus coefficients times the inputs'
    /// offsets from their centres plus an error of at most a radius: every value the step can give while each input
    /// lies within <paramref name="half"/> of its centre lies in its form. <paramref name="forms"/> is laid out as
    /// the buffer: a computed block holds [centre, n coefficients, error radius], a constant its value.
    /// </summary>
    /// <remarks>
    /// Every override, and what it calls in a loop, is compiled optimized at its first call (AggressiveOptimization),
    /// as <see cref="Run"/> is: bounds run only on infeasible minutes, thousands of calls in each, and under tiered
    /// compilation an infeasible minute after a start or among feasible ones ran them unoptimized, about three times slower.
    /// </remarks>
    public abstract void Bound(Span<double> forms, ReadOnlySpan<double> half);

    /// <summary>Element <paramref name="i"/> of <paramref name="slot"/> as a form: a constant has no coefficients and no error.</summary>
    protected static double Coefficient(ReadOnlySpan<double> forms, PlanSlot slot, int i, int k) =>
        slot.IsConstant ? 0 : forms[slot.At(i) + 1 + k];

    protected static double Error(ReadOnlySpan<double> forms, PlanSlot slot, int i, int inputs) =>
        slot.IsConstant ? 0 : forms[slot.At(i) + 1 + inputs];

    /// <summary>How far element <paramref name="i"/>'s values can lie from its centre.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected static double Radius(ReadOnlySpan<double> forms, PlanSlot slot, int i, ReadOnlySpan<double> half)
    {
        var radius = Error(forms, slot, i, half.Length);
        for (var k = 0; k < half.Length; k++)
        {
            radius += Math.Abs(Coefficient(forms, slot, i, k)) * half[k];
        }

        return radius;
    }
}
