using ProcessOptimizer.Storage.Database;
using ProcessOptimizer.Storage.Resilience;

namespace ProcessOptimizer.Configuration;

/// <summary>The <c>Database</c> configuration section. The default is an embedded SQLite file under ./data/.</summary>
public sealed class DatabaseSettings
{
    public const string Section = "Database";

    /// <summary><c>sqlite</c> (default) or <c>postgres</c>.</summary>
    public string Kind { get; set; } = "sqlite";

    public string ConnectionString { get; set; } = "Data Source=data/process-optimizer.db";

    /// <summary>Each call (connection wait included) is given up after this many seconds.</summary>
    public int TimeoutSeconds { get; set; } = 5;

    /// <summary>Retries of a transient failure, with jittered backoff.</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>After repeated failures, calls fail at once for this many seconds before one probes again.</summary>
    public int BreakSeconds { get; set; } = 10;

    /// <summary>PostgreSQL connections at most (unless the connection string says).</summary>
    public int MaxPoolSize { get; set; } = 10;

    /// <summary>IANA zone of <c>timestamp without time zone</c> values; empty means the host's zone.</summary>
    public string TimeZone { get; set; } = "";

    /// <summary>Folder of runs waiting for the database.</summary>
    public string OutboxFolder { get; set; } = "data/outbox";

    public IEnumerable<string> Problems()
    {
        if (Kind is not ("sqlite" or "postgres"))
        {
            yield return $"{Section}:Kind must be 'sqlite' or 'postgres' (got '{Kind}')";
        }

        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return $"{Section}:ConnectionString is empty";
        }

        if (TimeoutSeconds < 1 || MaxRetries < 0 || BreakSeconds < 1 || MaxPoolSize < 1)
        {
            yield return $"{Section}: TimeoutSeconds, BreakSeconds and MaxPoolSize must be at least 1 and MaxRetries at least 0 (got {TimeoutSeconds}, {BreakSeconds}, {MaxPoolSize}, {MaxRetries})";
        }

        if (TimeZone.Length > 0 && !TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
        {
            yield return $"{Section}:TimeZone '{TimeZone}' is not a known IANA time zone (for example America/Chicago)";
        }

        if (string.IsNullOrWhiteSpace(OutboxFolder))
        {
            yield return $"{Section}:OutboxFolder is empty";
        }
    }

    public ProcessDatabase Create() => ProcessDatabase.Create(Kind == "postgres" ? DatabaseKind.Postgres : DatabaseKind.Sqlite, ConnectionString, Options());

    /// <summary>The PostgreSQL connection string with the bounds of the service's own connections (see <see cref="ProcessDatabase.BoundedPostgres"/>).</summary>
    public string BoundedPostgresConnection => ProcessDatabase.BoundedPostgres(ConnectionString, Options());

    private DatabaseOptions Options() => new()
    {
        Resilience = new ResilienceOptions { Timeout = TimeSpan.FromSeconds(TimeoutSeconds), MaxRetries = MaxRetries, BreakDuration = TimeSpan.FromSeconds(BreakSeconds) },
        MaxPoolSize = MaxPoolSize,
        TimeZone = TimeZone.Length > 0 ? TimeZone : null,
    };
}
