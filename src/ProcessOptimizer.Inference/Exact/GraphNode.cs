namespace ProcessOptimizer.Inference.Exact;

/// <summary>One ONNX node, with its inputs and outputs resolved to slots and the attributes the evaluator reads.</summary>
internal sealed record GraphNode(string OpType, string Name, int[] Inputs, int[] Outputs, IReadOnlyDictionary<string, double> Attributes, IReadOnlyDictionary<string, double[]> Tensors)
{
    public const string FoldedSlope = "folded.slope";
    public const string FoldedOffset = "folded.offset";

    public double Attribute(string name, double fallback) => Attributes.TryGetValue(name, out var value) ? value : fallback;

    /// <summary>Batch normalization's parameters as one affine map per channel: slope = γ/√(σ²+ε), offset = β − slope·μ.</summary>
    public static (double[] Slope, double[] Offset) FoldBatchNorm(double[] scale, double[] shift, double[] mean, double[] variance, double epsilon, int length)
    {
        static double At(double[] values, int i) => values.Length == 1 ? values[0] : values[i];
        var slope = new double[length];
        var offset = new double[length];
        for (var i = 0; i < length; i++)
        {
            slope[i] = At(scale, i) / Math.Sqrt(At(variance, i) + epsilon);
            offset[i] = At(shift, i) - (slope[i] * At(mean, i));
        }

        return (slope, offset);
    }
}
