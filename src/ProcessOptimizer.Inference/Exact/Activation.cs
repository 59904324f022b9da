namespace ProcessOptimizer.Inference.Exact;

/// <summary>The elementwise functions a network may apply, each with its first and second derivative.</summary>
internal enum Activation
{
    Relu,
    LeakyRelu,
    Sigmoid,
    Tanh,
    Softplus,
    Erf,
}
