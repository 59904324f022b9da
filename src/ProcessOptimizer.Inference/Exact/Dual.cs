namespace ProcessOptimizer.Inference.Exact;

/// <summary>
/// A vector of values along the feature axis with its Jacobian with respect to the model inputs
/// (row-major, Length × inputs), or a constant when <see cref="Jacobian"/> is null; and, when second
/// derivatives are carried, each value's packed lower-triangular Hessian (Length × pairs).
/// </summary>
internal sealed record Dual(double[] Value, double[]? Jacobian, double[]? Hessian = null)
{
    public int Length => Value.Length;

    public bool IsConstant => Jacobian is null;

    /// <summary>Value i, broadcasting a one-element constant.</summary>
    public double At(int i) => Value.Length == 1 ? Value[0] : Value[i];

    /// <summary>d(value i)/d(input k), zero for constants.</summary>
    public double DerivativeAt(int i, int k, int inputs) =>
        Jacobian is null ? 0 : Jacobian[((Value.Length == 1 ? 0 : i) * inputs) + k];

    /// <summary>d²(value i)/d(input r)d(input c) at packed index <paramref name="pair"/>, zero when not carried.</summary>
    public double SecondAt(int i, int pair, int pairs) =>
        Hessian is null ? 0 : Hessian[((Value.Length == 1 ? 0 : i) * pairs) + pair];
}
