using Google.Protobuf;
using Onnx;

namespace ProcessOptimizer.Inference.Exact;

/// <summary>Reads an ONNX graph into a <see cref="NetworkEvaluator"/>, or says why it cannot.</summary>
internal static class OnnxGraphReader
{
    private static readonly HashSet<string> Supported =
    [
        "Gemm", "MatMul", "Add", "Sub", "Mul", "Div", "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Softplus", "Erf",
        "BatchNormalization", "Dropout", "Identity", "Constant", "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Concat",
    ];

    /// <exception cref="UnsupportedGraphException">A node or shape is outside what the evaluator handles.</exception>
    public static NetworkEvaluator Read(byte[] bytes, int inputs, int outputs)
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new UnsupportedGraphException($"the ONNX protobuf cannot be read: {ex.Message}");
        }

        var graph = model.Graph;
        var slots = new Dictionary<string, int>(StringComparer.Ordinal);
        int Slot(string name) => name.Length == 0 ? -1 : slots.TryGetValue(name, out var s) ? s : slots[name] = slots.Count;

        var constants = new Dictionary<int, double[]>();
        foreach (var initializer in graph.Initializer)
        {
            constants[Slot(initializer.Name)] = Values(initializer);
        }

        var graphInputs = graph.Input.Where(i => !graph.Initializer.Any(t => t.Name == i.Name)).ToList();
        if (graphInputs.Count != 1 || graph.Output.Count != 1)
        {
            throw new UnsupportedGraphException($"the graph has {graphInputs.Count} inputs and {graph.Output.Count} outputs; one of each is expected");
        }

        var inputSlot = Slot(graphInputs[0].Name);
        var nodes = new List<GraphNode>();
        foreach (var node in graph.Node)
        {
            var name = string.IsNullOrEmpty(node.Name) ? node.Output.FirstOrDefault() ?? node.OpType : node.Name;
            if (!Supported.Contains(node.OpType) || (node.Domain.Length > 0 && node.Domain != "ai.onnx"))
            {
                throw new UnsupportedGraphException($"node '{name}' ({node.OpType}) is not supported");
            }

            var attributes = new Dictionary<string, double>(StringComparer.Ordinal);
            var tensors = new Dictionary<string, double[]>(StringComparer.Ordinal);
            foreach (var attribute in node.Attribute)
            {
                switch (attribute.Type)
                {
                    case AttributeProto.Types.AttributeType.Float:
                        attributes[attribute.Name] = attribute.F;
                        break;
                    case AttributeProto.Types.AttributeType.Int:
                        attributes[attribute.Name] = attribute.I;
                        break;
                    case AttributeProto.Types.AttributeType.Tensor:
                        tensors[attribute.Name] = Values(attribute.T);
                        break;
                    case AttributeProto.Types.AttributeType.Ints:
                        tensors[attribute.Name] = attribute.Ints.Select(i => (double)i).ToArray();
                        break;
                }
            }

            if (node.OpType == "Constant")
            {
                constants[Slot(node.Output[0])] = tensors.GetValueOrDefault("value")
                    ?? (attributes.TryGetValue("value_float", out var f) ? [f] : throw new UnsupportedGraphException($"constant '{name}' is not a numeric tensor"));
                continue;
            }

            CheckLayout(node, name, attributes, tensors, constants, Slot);
            if (node.OpType == "BatchNormalization" && node.Input.Count >= 5 && node.Input.Skip(1).Take(4).All(i => constants.ContainsKey(Slot(i))))
            {
                var parameters = node.Input.Skip(1).Take(4).Select(i => constants[Slot(i)]).ToArray();
                var (slope, offset) = GraphNode.FoldBatchNorm(parameters[0], parameters[1], parameters[2], parameters[3], attributes.GetValueOrDefault("epsilon", 1e-5), parameters[0].Length);
                tensors[GraphNode.FoldedSlope] = slope;
                tensors[GraphNode.FoldedOffset] = offset;
            }

            nodes.Add(new GraphNode(node.OpType, name, [.. node.Input.Select(Slot)], [.. node.Output.Select(Slot)], attributes, tensors));
        }

        return new NetworkEvaluator(inputs, outputs, slots.Count, inputSlot, Slot(graph.Output[0].Name), nodes, constants);
    }

    // Reshape and friends are accepted only where, for one row, they leave the feature vector as it is.
    private static void CheckLayout(NodeProto node, string name, Dictionary<string, double> attributes, Dictionary<string, double[]> tensors, Dictionary<int, double[]> constants, Func<string, int> slot)
    {
        switch (node.OpType)
        {
            case "Reshape":
                var shape = node.Input.Count > 1 && constants.TryGetValue(slot(node.Input[1]), out var s) ? s : null;
                if (shape is null || shape.Length > 2 || (shape.Length == 2 && shape[0] is not (1 or -1 or 0)))
                {
                    throw new UnsupportedGraphException($"node '{name}' (Reshape) reshapes beyond the feature axis");
                }

                break;
            case "Flatten" when attributes.GetValueOrDefault("axis", 1) != 1:
            case "Concat" when attributes.GetValueOrDefault("axis", 0) is not (1 or -1):
            case "Gemm" when attributes.GetValueOrDefault("transA", 0) != 0:
                throw new UnsupportedGraphException($"node '{name}' ({node.OpType}) works across the batch axis");
            case "Squeeze" or "Unsqueeze":
                var axes = tensors.GetValueOrDefault("axes") ?? (node.Input.Count > 1 && constants.TryGetValue(slot(node.Input[1]), out var a) ? a : null);
                if (axes is null || axes.Any(x => x is not 0))
                {
                    throw new UnsupportedGraphException($"node '{name}' ({node.OpType}) changes an axis other than the batch axis");
                }

                break;
        }
    }

    private static double[] Values(TensorProto tensor)
    {
        var type = (TensorProto.Types.DataType)tensor.DataType;
        if (tensor.RawData.Length > 0)
        {
            var raw = tensor.RawData.Span;
            return type switch
            {
                TensorProto.Types.DataType.Float => [.. System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(raw).ToArray().Select(v => (double)v)],
                TensorProto.Types.DataType.Double => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(raw).ToArray(),
                TensorProto.Types.DataType.Int64 => [.. System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(raw).ToArray().Select(v => (double)v)],
                _ => throw new UnsupportedGraphException($"tensor '{tensor.Name}' has element type {type}"),
            };
        }

        return type switch
        {
            TensorProto.Types.DataType.Float => [.. tensor.FloatData.Select(v => (double)v)],
            TensorProto.Types.DataType.Double => [.. tensor.DoubleData],
            TensorProto.Types.DataType.Int64 => [.. tensor.Int64Data.Select(v => (double)v)],
            _ => throw new UnsupportedGraphException($"tensor '{tensor.Name}' has element type {type}"),
        };
    }
}
