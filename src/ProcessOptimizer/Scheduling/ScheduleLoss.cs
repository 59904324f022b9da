namespace ProcessOptimizer.Scheduling;

/// <summary>The cluster's stored schedule found gone at <paramref name="At"/>, and why; <see cref="Remade"/> once the strategies are scheduled again.</summary>
internal sealed record ScheduleLoss(DateTimeOffset At, string Cause)
{
    public DateTimeOffset? Remade { get; init; }

    /// <summary>What health says until a cycle has fired on the schedule made again.</summary>
    public string Describe() => Remade is { } remade
        ? $"the cluster's schedule was found gone at {At:HH:mm:ss} UTC ({Cause}) and made again at {remade:HH:mm:ss} UTC; no cycle has fired since"
        : $"the cluster's schedule was found gone at {At:HH:mm:ss} UTC ({Cause}); it is being made again";
}
