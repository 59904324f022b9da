namespace ProcessOptimizer.Inference.Exact;

/// <summary>The graph has a node or a shape the exact evaluator does not handle; the model falls back to ONNX Runtime.</summary>
internal sealed class UnsupportedGraphException(string reason) : Exception(reason);
