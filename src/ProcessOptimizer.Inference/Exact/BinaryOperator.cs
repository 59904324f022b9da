namespace ProcessOptimizer.Inference.Exact;

/// <summary>The elementwise arithmetic between two tensors.</summary>
internal enum BinaryOperator
{
    Add,
    Sub,
    Mul,
    Div,
}
