namespace ProcessOptimizer.Scheduling;

/// <summary>This process among the service's replicas: its cluster instance id, which every run it stores carries.</summary>
public sealed record ServiceInstance(string Id);
