using Google.Protobuf;
using Onnx;

namespace ProcessOptimizer.Tests.Faults;

/// <summary>A valid ONNX file whose float weights are all NaN: it parses and loads, and predicts nothing.</summary>
internal static class OnnxPoison
{
    public static byte[] NanWeights(byte[] model)
    {
        var proto = ModelProto.Parser.ParseFrom(model);
        foreach (var tensor in proto.Graph.Initializer.Where(t => t.DataType == (int)TensorProto.Types.DataType.Float))
        {
            if (tensor.RawData.Length > 0)
            {
                var nan = BitConverter.GetBytes(float.NaN);
                var raw = new byte[tensor.RawData.Length];
                for (var i = 0; i < raw.Length; i += 4)
                {
                    nan.CopyTo(raw, i);
                }

                tensor.RawData = ByteString.CopyFrom(raw);
            }
            else
            {
                for (var i = 0; i < tensor.FloatData.Count; i++)
                {
                    tensor.FloatData[i] = float.NaN;
                }
            }
        }

        return proto.ToByteArray();
    }
}
