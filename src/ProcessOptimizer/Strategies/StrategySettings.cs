using System.Text.RegularExpressions;

namespace ProcessOptimizer.Strategies;

/// <summary>
/// One entry of the <c>Strategies</c> configuration list: a strategy family with its own version pointer in the
/// store, its own cadence and its own data table. Without a list the service runs one, <c>process-optimization</c>,
/// on the <c>Storage:DeployedVersionKey</c> pointer and the <c>Optimization:IntervalSeconds</c> cadence.
/// </summary>
public sealed partial class StrategySettings
{
    public const string Section = "Strategies";

    /// <summary>Runs, routes (<c>/strategies/{name}</c>), health and metrics name the strategy by this.</summary>
    public string Name { get; set; } = "";

    /// <summary>The version pointer in the store; its versions are <c>configs/{pointer file stem}-{version}.yaml</c> beside it.</summary>
    public string DeployedVersionKey { get; set; } = "";

    /// <summary>Seconds between this strategy's cycles.</summary>
    public int IntervalSeconds { get; set; } = 300;

    /// <summary>The wide table its process data is read from.</summary>
    public string DataTable { get; set; } = "process_data";

    /// <summary>A disabled strategy is neither scheduled nor served.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Every problem of one list entry, named by its position and field.</summary>
    public IEnumerable<string> Problems(int index)
    {
        var where = $"{Section}:{index}";
        if (!NamePattern().IsMatch(Name))
        {
            yield return $"{where}:Name must be 1 to 64 letters, digits, '.', '-' or '_' (got '{Core.Strategies.Echo.Short(Name)}')";
        }

        if (string.IsNullOrWhiteSpace(DeployedVersionKey))
        {
            yield return $"{where}:DeployedVersionKey is empty";
        }

        if (IntervalSeconds < 1)
        {
            yield return $"{where}:IntervalSeconds must be at least 1 (got {IntervalSeconds})";
        }

        // The table name goes into SQL text, so only a plain identifier is accepted.
        if (!TablePattern().IsMatch(DataTable))
        {
            yield return $"{where}:DataTable must be a plain table name (letters, digits, '_'; got '{Core.Strategies.Echo.Short(DataTable)}')";
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,64}\z")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]{0,62}\z")]
    private static partial Regex TablePattern();
}
