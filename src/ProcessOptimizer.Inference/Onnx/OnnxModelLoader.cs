using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using ProcessOptimizer.Core.Models;
using ProcessOptimizer.Inference.Scalers;

namespace ProcessOptimizer.Inference.Onnx;

/// <summary>Creates an <see cref="OnnxModel"/> from artifact bytes, checking the model against its skill.</summary>
public static class OnnxModelLoader
{
    /// <exception cref="ModelException">The bytes are not ONNX, or the model's inputs or outputs do not match the skill; the message names the skill, key and mismatch.</exception>
    public static OnnxModel Create(string skill, string key, byte[] model, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, ScalerSet scalers)
    {
        InferenceSession session;
        try
        {
            using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, IntraOpNumThreads = 1, InterOpNumThreads = 1 };
            session = new InferenceSession(model, options);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new ModelException($"skill '{skill}': '{key}' is not a valid ONNX model: {ex.Message}", ex);
        }

        try
        {
            var (inputName, isDouble) = Check(skill, key, "input", session.InputMetadata, inputs.Count);
            var (outputName, _) = Check(skill, key, "output", session.OutputMetadata, outputs.Count);
            return new OnnxModel(skill, session, inputName, outputName, isDouble, [.. inputs.Select(scalers.For)], [.. outputs.Select(scalers.For)]);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private static (string Name, bool IsDouble) Check(string skill, string key, string what, IReadOnlyDictionary<string, NodeMetadata> nodes, int expected)
    {
        if (nodes.Count != 1)
        {
            throw new ModelException($"skill '{skill}': '{key}' has {nodes.Count} {what}s ({string.Join(", ", nodes.Keys)}); the contract is one {what} tensor [batch, {expected}]");
        }

        var (name, node) = nodes.First();
        var dimensions = node.Dimensions;
        if (dimensions.Length != 2)
        {
            throw new ModelException($"skill '{skill}': '{key}' {what} '{name}' has rank {dimensions.Length}; the contract is [batch, {expected}]");
        }

        if (dimensions[1] > 0 && dimensions[1] != expected)
        {
            throw new ModelException($"skill '{skill}': '{key}' {what} '{name}' has {dimensions[1]} columns, but the skill declares {expected} {what}s");
        }

        var type = node.ElementDataType;
        return type is TensorElementType.Float or TensorElementType.Double
            ? (name, type == TensorElementType.Double)
            : throw new ModelException($"skill '{skill}': '{key}' {what} '{name}' is {type}; the contract is float32 or float64");
    }
}
