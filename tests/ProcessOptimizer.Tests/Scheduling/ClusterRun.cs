using System.Globalization;

namespace ProcessOptimizer.Tests.Scheduling;

/// <summary>A run as a cluster test reads it from <c>optimization_runs</c>.</summary>
public sealed record ClusterRun(long Id, string Strategy, string? Node, string Outcome, string? Key, DateTimeOffset? DataTimestamp, DateTimeOffset StartedAt, string Version, string? Message)
{
    /// <summary>Whether the run used its data (a skipped run did not).</summary>
    public bool Consumed => Outcome is not ("skipped-stale" or "skipped-no-new-data");

    /// <summary>The slot a scheduled run was for: a cluster run's key is "strategy|slot|instant".</summary>
    public DateTimeOffset? Slot => Key?.Split('|') is [_, "slot", var at] ? DateTimeOffset.Parse(at, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal) : null;
}
