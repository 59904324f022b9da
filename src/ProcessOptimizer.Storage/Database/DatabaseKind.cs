namespace ProcessOptimizer.Storage.Database;

/// <summary>Which database holds process data and runs.</summary>
public enum DatabaseKind
{
    Sqlite,
    Postgres,
}
