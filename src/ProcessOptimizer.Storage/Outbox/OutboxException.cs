namespace ProcessOptimizer.Storage.Outbox;

/// <summary>
/// The outbox could not keep a run: its folder cannot be written (a full disk, no permission) and the run was
/// not to be held in memory, or memory holds <see cref="RunOutbox.MaxHeld"/> runs already. The run is not kept.
/// </summary>
public sealed class OutboxException(string folder, string reason, Exception? inner = null)
    : IOException($"the outbox folder {folder} cannot take the run: {reason}", inner)
{
    public string Folder { get; } = folder;

    /// <summary>Why, in the file system's words (<c>No space left on device</c>).</summary>
    public string Reason { get; } = reason;
}
