namespace ProcessOptimizer.Tests.Service;

/// <summary>
/// Tests that start hosts run one after another: metrics listeners are process-wide, and two live hosts in one
/// test process would see each other's instruments (one host per process is how the service runs).
/// </summary>
[CollectionDefinition(Name)]
public sealed class ServiceHostCollection
{
    public const string Name = "service hosts";
}
