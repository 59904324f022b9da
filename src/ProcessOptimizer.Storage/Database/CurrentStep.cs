namespace ProcessOptimizer.Storage.Database;

/// <summary>
/// What a long call is doing now, set by the call as it goes, read by its failure's message: which step the database
/// refused, or did not answer. The failure may be read on another thread while the call, given up, still runs.
/// </summary>
internal sealed class CurrentStep(string first)
{
    private volatile string _now = first;

    public string Now
    {
        get => _now;
        set => _now = value;
    }
}
