using Google.Protobuf;
using Onnx;

namespace ProcessOptimizer.Inference.Tests.Exact;

/// <summary>Builds small ONNX graphs in memory: one input "x" [batch, n], one output, float or double weights.</summary>
internal sealed class GraphBuilder(int inputs, bool isDouble = false)
{
    private readonly GraphProto _graph = new() { Name = "test" };
    private int _next;

    public int Inputs { get; } = inputs;

    public string Input => "x";

    private TensorProto.Types.DataType Type => isDouble ? TensorProto.Types.DataType.Double : TensorProto.Types.DataType.Float;

    public string Constant(double[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = $"c{_next++}", DataType = (int)Type };
        tensor.Dims.AddRange(dims);
        if (isDouble)
        {
            tensor.DoubleData.AddRange(values);
        }
        else
        {
            tensor.FloatData.AddRange(values.Select(v => (float)v));
        }

        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    public string Node(string op, string[] inputs, params (string Name, object Value)[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = $"{op}_{_next}" };
        node.Input.AddRange(inputs);
        var output = $"t{_next++}";
        node.Output.Add(output);
        foreach (var (name, value) in attributes)
        {
            node.Attribute.Add(value switch
            {
                float f => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = f },
                long l => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = l },
                _ => throw new ArgumentException("unsupported attribute", nameof(attributes)),
            });
        }

        _graph.Node.Add(node);
        return output;
    }

    /// <summary>A Linear layer as torch exports it: Gemm with transB = 1, weights [out, in].</summary>
    public string Linear(string x, double[,] weights, double[] bias)
    {
        var (rows, columns) = (weights.GetLength(0), weights.GetLength(1));
        var w = Constant([.. Enumerable.Range(0, rows * columns).Select(i => weights[i / columns, i % columns])], rows, columns);
        return Node("Gemm", [x, w, Constant(bias, rows)], ("transB", 1L));
    }

    /// <summary>torch's GELU at opset 17: x · 0.5 · (1 + erf(x / √2)).</summary>
    public string Gelu(string x)
    {
        var erf = Node("Erf", [Node("Div", [x, Constant([Math.Sqrt(2)])])]);
        return Node("Mul", [Node("Mul", [x, Node("Add", [erf, Constant([1])])]), Constant([0.5])]);
    }

    public byte[] Build(string output, int outputs)
    {
        _graph.Input.Add(Value(Input, Inputs));
        _graph.Output.Add(Value(output, outputs));
        var model = new ModelProto { IrVersion = 8, Graph = _graph, ProducerName = "tests" };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        return model.ToByteArray();
    }

    private ValueInfoProto Value(string name, int width)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = width });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)Type, Shape = shape } },
        };
    }
}
