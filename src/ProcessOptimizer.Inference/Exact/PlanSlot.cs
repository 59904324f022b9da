namespace ProcessOptimizer.Inference.Exact;

/// <summary>
/// Where one tensor of a <see cref="NetworkPlan"/> lives in the evaluation buffer. A computed tensor keeps each
/// element as one block, [value, its n first derivatives, its packed second derivatives], so that a linear layer
/// maps whole blocks; a constant keeps its values only (stride 1).
/// </summary>
internal readonly record struct PlanSlot(int Offset, int Length, int Stride)
{
    public bool IsConstant => Stride == 1;

    /// <summary>The start of element <paramref name="i"/>'s block, broadcasting a one-element tensor.</summary>
    public int At(int i) => Offset + ((Length == 1 ? 0 : i) * Stride);
}
