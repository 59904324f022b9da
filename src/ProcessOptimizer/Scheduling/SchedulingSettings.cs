namespace ProcessOptimizer.Scheduling;

/// <summary>
/// The <c>Scheduling</c> configuration section: whether cycles are scheduled by a Quartz.NET cluster in the
/// PostgreSQL database (every replica sharing the work, each trigger firing once across them) or by this process
/// alone, and the cluster's timing.
/// </summary>
public sealed class SchedulingSettings
{
    public const string Section = "Scheduling";

    /// <summary>Cluster on the database's Quartz tables. Unset, on with PostgreSQL and off with SQLite (which cannot be shared).</summary>
    public bool? Clustered { get; set; }

    /// <summary>This replica's id in the cluster, unique per replica; empty means the host name and the process id.</summary>
    public string InstanceId { get; set; } = "";

    /// <summary>How often each replica records in the database that it is alive.</summary>
    public double CheckinIntervalSeconds { get; set; } = 2;

    /// <summary>How long past a missed check-in the others wait before they take a replica for dead and take over its cycles.</summary>
    public double CheckinThresholdSeconds { get; set; } = 4;

    /// <summary>A cycle later than this is skipped: the strategy's next cycle runs at its next slot, never a burst of stale ones.</summary>
    public double MisfireThresholdSeconds { get; set; } = 3;

    /// <summary>The instance id in force.</summary>
    public string EffectiveInstanceId => InstanceId.Length > 0 ? InstanceId : $"{Environment.MachineName}-{Environment.ProcessId}";

    public bool IsClustered(bool postgres) => Clustered ?? postgres;

    public IEnumerable<string> Problems(bool postgres)
    {
        if (Clustered == true && !postgres)
        {
            yield return $"{Section}:Clustered needs Database:Kind=postgres: replicas share their schedule through it";
        }

        if (!(CheckinIntervalSeconds >= 0.5) || !(CheckinThresholdSeconds >= 0.5) || !(MisfireThresholdSeconds >= 0.5))
        {
            yield return $"{Section}: CheckinIntervalSeconds, CheckinThresholdSeconds and MisfireThresholdSeconds must be at least 0.5 (got {CheckinIntervalSeconds}, {CheckinThresholdSeconds}, {MisfireThresholdSeconds})";
        }

        if (InstanceId.Length > 100)
        {
            yield return $"{Section}:InstanceId is longer than 100 characters";
        }
    }
}
