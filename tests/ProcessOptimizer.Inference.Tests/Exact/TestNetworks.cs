using ProcessOptimizer.Inference.Exact;

namespace ProcessOptimizer.Inference.Tests.Exact;

/// <summary>The networks that the evaluator's and the bounds' tests both build: one node of each kind, and random stacks.</summary>
internal static class TestNetworks
{
    /// <summary>Adds the node <paramref name="op"/> (with fixed weights) on the 3-wide layer <paramref name="hidden"/>; returns it and its width.</summary>
    /// <param name="batchScale">The scale of a <c>BatchNormalization</c>, 3 values.</param>
    public static (string Layer, int Width) OneNode(GraphBuilder builder, string hidden, string op, double[] batchScale)
    {
        var layer = op switch
        {
            "Gelu" => builder.Gelu(hidden),
            "LeakyRelu" => builder.Node(op, [hidden], ("alpha", 0.1f)),
            "NegativeLeakyRelu" => builder.Node("LeakyRelu", [hidden], ("alpha", -0.5f)),
            "BatchNormalization" => builder.Node(op, [hidden, builder.Constant(batchScale, 3), builder.Constant([0.1, 0, -0.1], 3), builder.Constant([0.05, -0.02, 0.3], 3), builder.Constant([0.9, 1.3, 0.7], 3)], ("epsilon", 1e-5f)),
            "Sub" => builder.Node(op, [builder.Constant([1, 2, 3], 3), hidden]),
            "Mul" => builder.Node(op, [hidden, builder.Node("Tanh", [hidden])]),
            "Div" => builder.Node(op, [hidden, builder.Node("Add", [builder.Node("Sigmoid", [hidden]), builder.Constant([1])])]),
            "MatMul" => builder.Node(op, [hidden, builder.Constant([0.3, -0.1, 0.2, 0.5, -0.4, 0.1, 0.2, 0.2, 0.6], 3, 3)]),
            "Concat" => builder.Node(op, [hidden, builder.Node("Tanh", [hidden])], ("axis", 1L)),
            "Reshape" => builder.Node(op, [hidden, builder.Constant([-1, 3], 2)]),
            _ => builder.Node(op, [hidden]),
        };
        return (layer, op == "Concat" ? 6 : 3);
    }

    /// <summary>
    /// <paramref name="layers"/> layers of <paramref name="hidden"/> units (linear, batch normalization, one of
    /// <paramref name="activations"/>) and one linear output, every weight drawn from <paramref name="random"/>.
    /// </summary>
    public static NetworkEvaluator Stacked(int inputs, int hidden, int layers, Random random, string[] activations, (double Low, double High) batchScale, (double Low, double High) batchVariance)
    {
        var builder = new GraphBuilder(inputs);
        var current = builder.Input;
        var width = inputs;
        for (var l = 0; l < layers; l++)
        {
            current = builder.Linear(current, Random2D(hidden, width, random.Next()), [.. Enumerable.Range(0, hidden).Select(_ => random.NextDouble() - 0.5)]);
            current = builder.Node("BatchNormalization", [current, builder.Constant(Vector(hidden, random, batchScale.Low, batchScale.High), hidden), builder.Constant(Vector(hidden, random, -0.2, 0.2), hidden), builder.Constant(Vector(hidden, random, -0.3, 0.3), hidden), builder.Constant(Vector(hidden, random, batchVariance.Low, batchVariance.High), hidden)]);
            var activation = activations[random.Next(activations.Length)];
            current = activation == "Gelu" ? builder.Gelu(current) : builder.Node(activation, [current]);
            width = hidden;
        }

        var output = builder.Linear(current, Random2D(1, width, random.Next()), [0.1]);
        return OnnxGraphReader.Read(builder.Build(output, 1), inputs, 1);
    }

    public static double[,] Random2D(int rows, int columns, int seed)
    {
        var random = new Random(seed);
        var result = new double[rows, columns];
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < columns; j++)
            {
                result[i, j] = (random.NextDouble() - 0.5) * 1.5;
            }
        }

        return result;
    }

    public static double[] Vector(int length, Random random, double low, double high) =>
        [.. Enumerable.Range(0, length).Select(_ => low + ((high - low) * random.NextDouble()))];
}
