namespace ProcessOptimizer.Inference.Exact;

/// <summary>One ONNX node, with its inputs and outputs resolved to slots and the attributes the evaluator reads.</summary>
internal sealed record GraphNode(string OpType, string Name, int[] Inputs, int[] Outputs, IReadOnlyDictionary<string, double> Attributes, IReadOnlyDictionary<string, double[]> Tensors)
{
    public double Attribute(string name, double fallback) => Attributes.TryGetValue(name, out var value) ? value : fallback;
}
