namespace ProcessOptimizer.Tests.Hostile;

/// <summary>
/// The hostile-input suite runs alone, on one host: it watches the file system around each request and points
/// the process's temp directory at the host's own, so nothing else in this test process may write files or run
/// a host meanwhile.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HostileCollection : ICollectionFixture<HostileHost>
{
    public const string Name = "hostile input";
}
