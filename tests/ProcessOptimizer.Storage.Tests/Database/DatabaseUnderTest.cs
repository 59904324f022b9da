using Npgsql;
using ProcessOptimizer.Storage.Database;

namespace ProcessOptimizer.Storage.Tests.Database;

/// <summary>A fresh, empty database of one kind for one test class; dropped afterwards.</summary>
public sealed class DatabaseUnderTest : IAsyncDisposable
{
    private readonly string? _folder;
    private readonly string? _postgresName;

    private DatabaseUnderTest(DatabaseKind kind, string connectionString, string? folder, string? postgresName)
    {
        Kind = kind;
        ConnectionString = connectionString;
        _folder = folder;
        _postgresName = postgresName;
    }

    public DatabaseKind Kind { get; }

    public string ConnectionString { get; }

    /// <summary>A new <see cref="ProcessDatabase"/> over the same data, as after a restart.</summary>
    public ProcessDatabase Open() => ProcessDatabase.Create(Kind, ConnectionString);

    public static async Task<DatabaseUnderTest> CreateAsync(DatabaseKind kind)
    {
        if (kind == DatabaseKind.Sqlite)
        {
            var folder = Path.Combine(Path.GetTempPath(), "po-sqlite-" + Guid.NewGuid().ToString("n"));
            return new DatabaseUnderTest(kind, $"Data Source={Path.Combine(folder, "test.db")};Pooling=False", folder, null);
        }

        var name = "po_test_" + Guid.NewGuid().ToString("n");
        await ServerStep.ExecuteAsync(TestServers.Postgres, $"CREATE DATABASE {name}");
        var builder = new NpgsqlConnectionStringBuilder(TestServers.Postgres) { Database = name };
        return new DatabaseUnderTest(kind, builder.ConnectionString, null, name);
    }

    public async ValueTask DisposeAsync()
    {
        if (_folder is not null && Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }

        if (_postgresName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await ServerStep.ExecuteAsync(TestServers.Postgres, $"DROP DATABASE IF EXISTS {_postgresName} WITH (FORCE)");
        }
    }
}
