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
}
