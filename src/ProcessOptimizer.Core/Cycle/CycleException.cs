namespace ProcessOptimizer.Core.Cycle;

/// <summary>A cycle failed before a recommendation could be made. Nothing from it may be published.</summary>
public sealed class CycleException(CycleFailure failure, string message, Exception? inner = null) : Exception(message, inner)
{
    public CycleFailure Failure { get; } = failure;
}
