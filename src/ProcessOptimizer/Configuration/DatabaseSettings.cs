using ProcessOptimizer.Storage.Database;

namespace ProcessOptimizer.Configuration;

/// <summary>The <c>Database</c> configuration section. The default is an embedded SQLite file under ./data/.</summary>
public sealed class DatabaseSettings
{
    public const string Section = "Database";

    /// <summary><c>sqlite</c> (default) or <c>postgres</c>.</summary>
    public string Kind { get; set; } = "sqlite";

    public string ConnectionString { get; set; } = "Data Source=data/process-optimizer.db";

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
    }

    public ProcessDatabase Create() => ProcessDatabase.Create(Kind == "postgres" ? DatabaseKind.Postgres : DatabaseKind.Sqlite, ConnectionString);
}
