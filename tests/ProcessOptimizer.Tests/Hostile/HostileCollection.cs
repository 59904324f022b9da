namespace ProcessOptimizer.Tests.Hostile;

/// <summary>
/// The hostile-input suite runs alone: it compares the file system before and after each request, and runs a
/// host of its own, so nothing else in this test process may write files or run a host meanwhile.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HostileCollection
{
    public const string Name = "hostile input";
}
