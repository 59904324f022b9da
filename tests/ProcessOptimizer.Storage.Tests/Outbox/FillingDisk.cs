namespace ProcessOptimizer.Storage.Tests.Outbox;

/// <summary>
/// A disk that fills up and frees again, for the outbox's file seam. While full, a new file is created as on a real
/// full disk (the name takes no data blocks) but its bytes go to <c>/dev/full</c>, where the kernel answers every
/// write with ENOSPC: the outbox sees the same <see cref="IOException"/>, "No space left on device", as on a full
/// file system, without a mount that a test machine may not allow.
/// </summary>
/// <remarks>Thread-safe: a service writes through it while its test fills and frees it.</remarks>
internal sealed class FillingDisk
{
    private volatile bool _full;
    private int _failedOpens;

    public bool IsFull { get => _full; set => _full = value; }

    /// <summary>Files the outbox opened while the disk was full.</summary>
    public int FailedOpens => Volatile.Read(ref _failedOpens);

    public FileStream Create(string path)
    {
        var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        if (!IsFull)
        {
            return file;
        }

        file.Dispose();
        Interlocked.Increment(ref _failedOpens);
        return new FileStream("/dev/full", FileMode.Open, FileAccess.Write);
    }
}
