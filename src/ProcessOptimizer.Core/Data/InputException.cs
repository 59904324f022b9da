namespace ProcessOptimizer.Core.Data;

/// <summary>Process-data input is malformed; the message names the field or line.</summary>
public sealed class InputException(string message) : Exception(message);
