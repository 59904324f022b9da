namespace ProcessOptimizer.Tests.Workers;

/// <summary>Hosts with worker processes run one at a time: the process-table checks count every worker of this process.</summary>
[CollectionDefinition(nameof(WorkerHostCollection), DisableParallelization = true)]
public sealed class WorkerHostCollection;
