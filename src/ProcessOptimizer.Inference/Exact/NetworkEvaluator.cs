using ProcessOptimizer.Core.Formulas;

namespace ProcessOptimizer.Inference.Exact;

/// <summary>
/// Evaluates a feed-forward network in double precision on one input row, giving the outputs and their exact
/// Jacobian with respect to the inputs in one forward-mode pass, and on request their exact second derivatives in
/// the same pass. For plant models the input count is small, so forward mode costs little more than the values.
/// The graph is compiled once into a <see cref="NetworkPlan"/>; immutable and thread-safe.
/// </summary>
internal sealed class NetworkEvaluator
{
    private readonly NetworkPlan _plan;

    /// <exception cref="UnsupportedGraphException">A node, shape or operand is outside what the evaluator handles.</exception>
    public NetworkEvaluator(int inputs, int outputs, int slotCount, int inputSlot, int outputSlot, IReadOnlyList<GraphNode> nodes, IReadOnlyDictionary<int, double[]> constants) =>
        _plan = NetworkCompiler.Compile(inputs, outputs, slotCount, inputSlot, outputSlot, nodes, constants);

    public int InputCount => _plan.InputCount;

    public int OutputCount => _plan.OutputCount;

    /// <summary>Number of distinct second derivatives per output: the packed lower triangle, (r, c ≤ r) at r(r+1)/2 + c.</summary>
    public int Pairs => _plan.Pairs;

    /// <summary>
    /// Outputs, d(outputs)/d(inputs) (outputs × inputs, row-major) and, unless <paramref name="hessian"/> is empty,
    /// each output's packed second derivatives (outputs × <see cref="Pairs"/>), into the caller's spans.
    /// </summary>
    public void Evaluate(ReadOnlySpan<double> input, Span<double> values, Span<double> jacobian, Span<double> hessian) =>
        _plan.Run(input, values, jacobian, hessian);

    /// <summary>Ranges containing every output while each scaled input lies in its range (<see cref="NetworkPlan.Bound"/>).</summary>
    public void Bound(ReadOnlySpan<Interval> input, Span<Interval> outputs) => _plan.Bound(input, outputs);

    /// <summary>Outputs and d(outputs)/d(inputs) (outputs × inputs, row-major) at one scaled input row, in new arrays.</summary>
    public (double[] Values, double[] Jacobian) Evaluate(ReadOnlySpan<double> input)
    {
        var (values, jacobian) = (new double[OutputCount], new double[OutputCount * InputCount]);
        _plan.Run(input, values, jacobian, []);
        return (values, jacobian);
    }

    /// <summary>Like <see cref="Evaluate(ReadOnlySpan{double})"/>, plus each output's packed second derivatives (outputs × <see cref="Pairs"/>).</summary>
    public (double[] Values, double[] Jacobian, double[] Hessian) EvaluateWithCurvature(ReadOnlySpan<double> input)
    {
        var (values, jacobian, hessian) = (new double[OutputCount], new double[OutputCount * InputCount], new double[OutputCount * Pairs]);
        _plan.Run(input, values, jacobian, hessian);
        return (values, jacobian, hessian);
    }
}
