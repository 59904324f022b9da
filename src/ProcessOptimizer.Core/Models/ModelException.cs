namespace ProcessOptimizer.Core.Models;

/// <summary>A model could not be loaded or evaluated. The message names the skill and the artifact.</summary>
public sealed class ModelException(string message, Exception? inner = null) : Exception(message, inner);
