namespace ProcessOptimizer.Inference.Exact;

/// <summary>
/// Evaluates a feed-forward network in double precision on one input row, giving the outputs and their exact
/// Jacobian with respect to the inputs in one forward-mode pass. For plant models the input count is small,
/// so forward mode costs little more than the values. Immutable and thread-safe: each call has its own slots.
/// </summary>
internal sealed class NetworkEvaluator(int inputs, int outputs, int slotCount, int inputSlot, int outputSlot, IReadOnlyList<GraphNode> nodes, IReadOnlyDictionary<int, double[]> constants)
{
    public int InputCount { get; } = inputs;

    public int OutputCount { get; } = outputs;

    public int NodeCount => nodes.Count;

    /// <summary>Outputs and d(outputs)/d(inputs) (outputs × inputs, row-major) at one scaled input row.</summary>
    public (double[] Values, double[] Jacobian) Evaluate(ReadOnlySpan<double> input)
    {
        var slots = new Dual?[slotCount];
        foreach (var (slot, value) in constants)
        {
            slots[slot] = new Dual(value, null);
        }

        var identity = new double[InputCount * InputCount];
        for (var k = 0; k < InputCount; k++)
        {
            identity[(k * InputCount) + k] = 1;
        }

        slots[inputSlot] = new Dual(input.ToArray(), identity);
        foreach (var node in nodes)
        {
            var args = new Dual?[node.Inputs.Length];
            for (var i = 0; i < args.Length; i++)
            {
                args[i] = node.Inputs[i] < 0 ? null : slots[node.Inputs[i]];
            }

            slots[node.Outputs[0]] = Apply(node, args);
        }

        var output = slots[outputSlot] ?? throw new UnsupportedGraphException("the graph output is never computed");
        return output.Length != OutputCount
            ? throw new UnsupportedGraphException($"the graph output has {output.Length} values, expected {OutputCount}")
            : (output.Value, output.Jacobian ?? new double[OutputCount * InputCount]);
    }

    private Dual Apply(GraphNode node, Dual?[] args) => node.OpType switch
    {
        "Gemm" => Linear(node, Required(args, 0, node), Required(args, 1, node), args.Length > 2 ? args[2] : null,
            node.Attribute("alpha", 1), node.Attribute("beta", 1), node.Attribute("transB", 0) != 0, node),
        "MatMul" => Linear(node, Required(args, 0, node), Required(args, 1, node), null, 1, 1, transposed: false, node),
        "Add" => Elementwise(Required(args, 0, node), Required(args, 1, node), (a, b) => a + b, (_, _) => 1, (_, _) => 1),
        "Sub" => Elementwise(Required(args, 0, node), Required(args, 1, node), (a, b) => a - b, (_, _) => 1, (_, _) => -1),
        "Mul" => Elementwise(Required(args, 0, node), Required(args, 1, node), (a, b) => a * b, (_, b) => b, (a, _) => a),
        "Div" => Elementwise(Required(args, 0, node), Required(args, 1, node), (a, b) => a / b, (_, b) => 1 / b, (a, b) => -a / (b * b)),
        "Relu" => Unary(Required(args, 0, node), x => Math.Max(0, x), x => x > 0 ? 1 : 0),
        "LeakyRelu" => LeakyRelu(Required(args, 0, node), node.Attribute("alpha", 0.01)),
        "Sigmoid" => Unary(Required(args, 0, node), Sigmoid, x => Sigmoid(x) * (1 - Sigmoid(x))),
        "Tanh" => Unary(Required(args, 0, node), Math.Tanh, x => 1 - (Math.Tanh(x) * Math.Tanh(x))),
        "Softplus" => Unary(Required(args, 0, node), x => x > 0 ? x + Math.Log(1 + Math.Exp(-x)) : Math.Log(1 + Math.Exp(x)), Sigmoid),
        "Erf" => Unary(Required(args, 0, node), SpecialFunctions.Erf, x => 2 / Math.Sqrt(Math.PI) * Math.Exp(-x * x)),
        "BatchNormalization" => BatchNorm(node, args),
        "Dropout" or "Identity" or "Flatten" or "Reshape" or "Squeeze" or "Unsqueeze" => Required(args, 0, node),
        "Concat" => Concat(args.OfType<Dual>().ToArray()),
        _ => throw new UnsupportedGraphException($"node '{node.Name}' ({node.OpType}) is not supported"),
    };

    private static Dual Required(Dual?[] args, int index, GraphNode node) =>
        index < args.Length && args[index] is { } value ? value : throw new UnsupportedGraphException($"node '{node.Name}' ({node.OpType}) lacks input {index}");

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    // y = alpha · x·W + beta · c, with W held as [in, out] (or [out, in] when transposed).
    private Dual Linear(GraphNode node, Dual x, Dual weights, Dual? bias, double alpha, double beta, bool transposed, GraphNode where)
    {
        if (!weights.IsConstant || x.IsConstant || node.Attribute("transA", 0) != 0)
        {
            throw new UnsupportedGraphException($"node '{where.Name}' ({where.OpType}) multiplies two computed tensors or transposes its input");
        }

        var rows = x.Length;
        if (weights.Length % rows != 0)
        {
            throw new UnsupportedGraphException($"node '{where.Name}' ({where.OpType}): weights of {weights.Length} values do not fit an input of {rows}");
        }

        var columns = weights.Length / rows;
        var n = InputCount;
        var value = new double[columns];
        var jacobian = new double[columns * n];
        for (var j = 0; j < columns; j++)
        {
            var sum = 0.0;
            for (var i = 0; i < rows; i++)
            {
                var w = alpha * (transposed ? weights.Value[(j * rows) + i] : weights.Value[(i * columns) + j]);
                sum += w * x.Value[i];
                for (var k = 0; k < n; k++)
                {
                    jacobian[(j * n) + k] += w * x.Jacobian![(i * n) + k];
                }
            }

            value[j] = sum + (bias is null ? 0 : beta * bias.At(j));
        }

        return new Dual(value, jacobian);
    }

    private Dual Elementwise(Dual a, Dual b, Func<double, double, double> f, Func<double, double, double> dfa, Func<double, double, double> dfb)
    {
        var length = Math.Max(a.Length, b.Length);
        if ((a.Length != length && a.Length != 1) || (b.Length != length && b.Length != 1))
        {
            throw new UnsupportedGraphException($"cannot broadcast {a.Length} values with {b.Length}");
        }

        var n = InputCount;
        var value = new double[length];
        var jacobian = a.IsConstant && b.IsConstant ? null : new double[length * n];
        for (var i = 0; i < length; i++)
        {
            double x = a.At(i), y = b.At(i);
            value[i] = f(x, y);
            if (jacobian is not null)
            {
                double da = a.IsConstant ? 0 : dfa(x, y), db = b.IsConstant ? 0 : dfb(x, y);
                for (var k = 0; k < n; k++)
                {
                    jacobian[(i * n) + k] = (da * a.DerivativeAt(i, k, n)) + (db * b.DerivativeAt(i, k, n));
                }
            }
        }

        return new Dual(value, jacobian);
    }

    private Dual Unary(Dual x, Func<double, double> f, Func<double, double> df)
    {
        var n = InputCount;
        var value = new double[x.Length];
        var jacobian = x.IsConstant ? null : new double[x.Length * n];
        for (var i = 0; i < x.Length; i++)
        {
            value[i] = f(x.Value[i]);
            if (jacobian is not null)
            {
                var d = df(x.Value[i]);
                for (var k = 0; k < n; k++)
                {
                    jacobian[(i * n) + k] = d * x.Jacobian![(i * n) + k];
                }
            }
        }

        return new Dual(value, jacobian);
    }

    private Dual LeakyRelu(Dual x, double alpha) => Unary(x, v => v > 0 ? v : alpha * v, v => v > 0 ? 1 : alpha);

    // Inference-mode batch normalization is a per-feature affine map, y = slope·x + offset; the reader folds
    // the four parameter tensors into those two once, when every one of them is a constant.
    private Dual BatchNorm(GraphNode node, Dual?[] args)
    {
        var x = Required(args, 0, node);
        var (slope, offset) = node.Tensors.TryGetValue(GraphNode.FoldedSlope, out var s) && node.Tensors.TryGetValue(GraphNode.FoldedOffset, out var o)
            ? (s, o)
            : Fold(node, args, x.Length);
        if (slope.Length != x.Length)
        {
            throw new UnsupportedGraphException($"node '{node.Name}' (BatchNormalization) has {slope.Length} channels for {x.Length} features");
        }

        var n = InputCount;
        var value = new double[x.Length];
        var jacobian = x.IsConstant ? null : new double[x.Length * n];
        for (var i = 0; i < x.Length; i++)
        {
            value[i] = (slope[i] * x.Value[i]) + offset[i];
            if (jacobian is not null)
            {
                for (var k = 0; k < n; k++)
                {
                    jacobian[(i * n) + k] = slope[i] * x.Jacobian![(i * n) + k];
                }
            }
        }

        return new Dual(value, jacobian);
    }

    private static (double[] Slope, double[] Offset) Fold(GraphNode node, Dual?[] args, int length)
    {
        var (scale, shift, mean, variance) = (Required(args, 1, node), Required(args, 2, node), Required(args, 3, node), Required(args, 4, node));
        return GraphNode.FoldBatchNorm(scale.Value, shift.Value, mean.Value, variance.Value, node.Attribute("epsilon", 1e-5), length);
    }

    private Dual Concat(Dual[] parts)
    {
        var n = InputCount;
        var value = parts.SelectMany(p => p.Value).ToArray();
        var jacobian = new double[value.Length * n];
        var row = 0;
        foreach (var part in parts)
        {
            part.Jacobian?.CopyTo(jacobian, row * n);
            row += part.Length;
        }

        return new Dual(value, jacobian);
    }
}
