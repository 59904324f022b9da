namespace ProcessOptimizer.Configuration;

/// <summary>
/// <c>Api:RunRetention</c>: how long the answers of <c>POST /optimize</c> are kept. Anyone may ask for one, so
/// without a limit the table grows with every request; the loop's runs are the plant's record and are never pruned.
/// </summary>
public sealed class RunRetentionSettings
{
    public const string Section = "Api:RunRetention";

    /// <summary>The newest API runs kept; 0 keeps any number.</summary>
    public int Rows { get; set; } = 10_000;

    /// <summary>API runs started longer ago than this are deleted; 0 keeps them at any age.</summary>
    public int Days { get; set; } = 30;

    /// <summary>Seconds between prunes; the first runs at start.</summary>
    public int IntervalSeconds { get; set; } = 60;

    public int? KeepRows => Rows > 0 ? Rows : null;

    public TimeSpan? MaxAge => Days > 0 ? TimeSpan.FromDays(Days) : null;

    public IEnumerable<string> Problems()
    {
        if (Rows < 0)
        {
            yield return $"{Section}:Rows must be 0 (no limit) or more (got {Rows})";
        }

        if (Days < 0)
        {
            yield return $"{Section}:Days must be 0 (no limit) or more (got {Days})";
        }

        if (IntervalSeconds < 1)
        {
            yield return $"{Section}:IntervalSeconds must be at least 1 (got {IntervalSeconds})";
        }
    }
}
