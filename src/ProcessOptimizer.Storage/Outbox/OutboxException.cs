namespace ProcessOptimizer.Storage.Outbox;

/// <summary>
/// The outbox could not keep a run: its folder cannot be written (a full disk, no permission) and the run was
/// not to be held in memory, or memory holds <see cref="RunOutbox.MaxHeld"/> runs already. The run is not kept.
/// </summary>
/// <param name="outbox">The outbox as answers name it (<see cref="RunOutbox.Description"/>): its folder's name, not its path.</param>
public sealed class OutboxException(string outbox, string reason, Exception? inner = null)
    : IOException($"the outbox folder cannot take the run: {reason}", inner)
{
    /// <summary>The outbox as answers name it: its folder's name, never a machine path.</summary>
    public string Outbox { get; } = outbox;

    /// <summary>Why, in the file system's words (<c>No space left on device</c>), with any path cut to its file name.</summary>
    public string Reason { get; } = reason;
}
