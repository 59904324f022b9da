using System.Runtime.InteropServices;

namespace ProcessOptimizer.Inference.Exact;

/// <summary>
/// Compiles a graph's nodes into a <see cref="NetworkPlan"/>: shapes are inferred once, each tensor gets its place
/// in the buffer, layers get their weights packed, and nodes whose operands are all constants are computed here.
/// </summary>
internal static class NetworkCompiler
{
    /// <exception cref="UnsupportedGraphException">A node, shape or operand is outside what the plan handles; the message names the node.</exception>
    public static NetworkPlan Compile(int inputs, int outputs, int slotCount, int inputSlot, int outputSlot, IReadOnlyList<GraphNode> nodes, IReadOnlyDictionary<int, double[]> constants)
    {
        var builder = new Builder(inputs, slotCount);
        builder.Slots[inputSlot] = builder.Computed(inputs);
        // The input's first derivatives are the identity and its second are zero, in every call.
        for (var k = 0; k < inputs; k++)
        {
            builder.Template[(k * builder.Stride) + 1 + k] = 1;
        }

        foreach (var (slot, value) in constants)
        {
            builder.Slots[slot] = builder.Constant(value);
        }

        foreach (var node in nodes)
        {
            builder.Slots[node.Outputs[0]] = builder.Add(node);
        }

        var output = builder.Slots[outputSlot] ?? throw new UnsupportedGraphException("the graph output is never computed");
        return output.Length != outputs
            ? throw new UnsupportedGraphException($"the graph output has {output.Length} values, expected {outputs}")
            : new NetworkPlan(inputs, outputs, [.. builder.Steps], [.. builder.Template], output);
    }

    private sealed class Builder(int inputs, int slotCount)
    {
        public int Stride { get; } = 1 + inputs + (inputs * (inputs + 1) / 2);

        public PlanSlot?[] Slots { get; } = new PlanSlot?[slotCount];

        public List<double> Template { get; } = [];

        public List<PlanStep> Steps { get; } = [];

        public PlanSlot Computed(int length)
        {
            var slot = new PlanSlot(Template.Count, length, Stride);
            Template.AddRange(new double[length * Stride]);
            return slot;
        }

        public PlanSlot Constant(double[] values)
        {
            var slot = new PlanSlot(Template.Count, values.Length, 1);
            Template.AddRange(values);
            return slot;
        }

        public PlanSlot Add(GraphNode node) => node.OpType switch
        {
            "Gemm" => Linear(node, node.Attribute("alpha", 1), node.Attribute("beta", 1), node.Attribute("transB", 0) != 0),
            "MatMul" => Linear(node, 1, 1, transposed: false),
            "Add" => Binary(node, BinaryOperator.Add),
            "Sub" => Binary(node, BinaryOperator.Sub),
            "Mul" => Binary(node, BinaryOperator.Mul),
            "Div" => Binary(node, BinaryOperator.Div),
            "Relu" => Unary(node, Activation.Relu, 0),
            "LeakyRelu" => Unary(node, Activation.LeakyRelu, node.Attribute("alpha", 0.01)),
            "Sigmoid" => Unary(node, Activation.Sigmoid, 0),
            "Tanh" => Unary(node, Activation.Tanh, 0),
            "Softplus" => Unary(node, Activation.Softplus, 0),
            "Erf" => Unary(node, Activation.Erf, 0),
            "BatchNormalization" => BatchNorm(node),
            "Dropout" or "Identity" or "Flatten" or "Reshape" or "Squeeze" or "Unsqueeze" => Required(node, 0),
            "Concat" => Concat(node),
            _ => throw new UnsupportedGraphException($"node '{node.Name}' ({node.OpType}) is not supported"),
        };

        // y = alpha · x·W + beta · c, with W held as [in, out] (or [out, in] when transposed), packed as [out, in].
        private PlanSlot Linear(GraphNode node, double alpha, double beta, bool transposed)
        {
            var (x, weights) = (Required(node, 0), Required(node, 1));
            var bias = node.Inputs.Length > 2 ? Optional(node, 2) : null;
            if (!weights.IsConstant || x.IsConstant || node.Attribute("transA", 0) != 0 || bias is { IsConstant: false })
            {
                throw new UnsupportedGraphException($"node '{node.Name}' ({node.OpType}) multiplies two computed tensors or transposes its input");
            }

            var rows = x.Length;
            if (weights.Length % rows != 0)
            {
                throw new UnsupportedGraphException($"node '{node.Name}' ({node.OpType}): weights of {weights.Length} values do not fit an input of {rows}");
            }

            var columns = weights.Length / rows;
            if (bias is { Length: var b } && b != 1 && b < columns)
            {
                throw new UnsupportedGraphException($"node '{node.Name}' ({node.OpType}): a bias of {b} values for {columns} outputs");
            }

            var w = Values(weights);
            var c = bias is { } given ? Values(given) : null;
            var packed = new double[columns * rows];
            var offsets = new double[columns];
            for (var j = 0; j < columns; j++)
            {
                for (var i = 0; i < rows; i++)
                {
                    packed[(j * rows) + i] = alpha * (transposed ? w[(j * rows) + i] : w[(i * columns) + j]);
                }

                offsets[j] = c is null ? 0 : beta * c[c.Length == 1 ? 0 : j];
            }

            return Emit(new LinearStep(x, Computed(columns), packed, offsets));
        }

        private PlanSlot Binary(GraphNode node, BinaryOperator op)
        {
            var (a, b) = (Required(node, 0), Required(node, 1));
            var length = Math.Max(a.Length, b.Length);
            if ((a.Length != length && a.Length != 1) || (b.Length != length && b.Length != 1))
            {
                throw new UnsupportedGraphException($"node '{node.Name}' ({node.OpType}): cannot broadcast {a.Length} values with {b.Length}");
            }

            return Emit(new BinaryStep(op, a, b, Result(length, a.IsConstant && b.IsConstant)));
        }

        private PlanSlot Unary(GraphNode node, Activation activation, double alpha)
        {
            var x = Required(node, 0);
            return Emit(new UnaryStep(activation, alpha, x, Result(x.Length, x.IsConstant)));
        }

        // Inference-mode batch normalization is a per-feature affine map; the reader has folded its constant
        // parameters into the slope and offset.
        private PlanSlot BatchNorm(GraphNode node)
        {
            var x = Required(node, 0);
            if (!node.Tensors.TryGetValue(GraphNode.FoldedSlope, out var slope) || !node.Tensors.TryGetValue(GraphNode.FoldedOffset, out var offset))
            {
                throw new UnsupportedGraphException($"node '{node.Name}' (BatchNormalization) normalizes with computed parameters");
            }

            if (slope.Length != x.Length)
            {
                throw new UnsupportedGraphException($"node '{node.Name}' (BatchNormalization) has {slope.Length} channels for {x.Length} features");
            }

            return Emit(new AffineStep(x, Result(x.Length, x.IsConstant), slope, offset));
        }

        private PlanSlot Concat(GraphNode node)
        {
            PlanSlot[] parts = [.. node.Inputs.Select((_, i) => Optional(node, i)).OfType<PlanSlot>()];
            return Emit(new ConcatStep(parts, Result(parts.Sum(p => p.Length), parts.All(p => p.IsConstant))));
        }

        private PlanSlot Result(int length, bool constant) => constant ? Constant(new double[length]) : Computed(length);

        // A step on constants is run once, now, into the template; the plan keeps only steps on computed tensors.
        private PlanSlot Emit(PlanStep step)
        {
            if (step.Output.IsConstant)
            {
                step.Run(CollectionsMarshal.AsSpan(Template), inputs, 1);
            }
            else
            {
                Steps.Add(step);
            }

            return step.Output;
        }

        private double[] Values(PlanSlot constant) => [.. Template.GetRange(constant.Offset, constant.Length)];

        private PlanSlot? Optional(GraphNode node, int index) =>
            index < node.Inputs.Length && node.Inputs[index] >= 0 ? Slots[node.Inputs[index]] : null;

        private PlanSlot Required(GraphNode node, int index) =>
            Optional(node, index) ?? throw new UnsupportedGraphException($"node '{node.Name}' ({node.OpType}) lacks input {index}");
    }
}
