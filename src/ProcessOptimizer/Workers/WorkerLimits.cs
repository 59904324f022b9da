namespace ProcessOptimizer.Workers;

/// <summary>When the service gives up on a worker's solve: past <see cref="KillAfter"/>, or above <see cref="MemoryBytes"/> resident.</summary>
internal sealed record WorkerLimits(TimeSpan KillAfter, long MemoryBytes)
{
    // Resident memory is sampled this often during a solve; a blow-up is caught within it plus the allocation rate.
    public TimeSpan PollInterval => KillAfter < TimeSpan.FromMilliseconds(50) ? KillAfter : TimeSpan.FromMilliseconds(50);
}
