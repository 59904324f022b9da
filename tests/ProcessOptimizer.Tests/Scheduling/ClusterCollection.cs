namespace ProcessOptimizer.Tests.Scheduling;

/// <summary>The cluster test runs alone: its three replicas and their solver workers take the machine's cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "cluster";
}
