using Npgsql;
using ProcessOptimizer.Storage.Tests;

namespace ProcessOptimizer.Tests.Scheduling;

/// <summary>A database of a test's own on the PostgreSQL server the test script started, dropped with its connections at the end.</summary>
internal sealed class ScratchDatabase : IAsyncDisposable
{
    private readonly string _name;

    private ScratchDatabase(string name)
    {
        _name = name;
        Connection = new NpgsqlConnectionStringBuilder(TestServers.Postgres) { Database = name }.ConnectionString;
    }

    public string Connection { get; }

    /// <param name="prefix">Names the test in the database's name, which is unique.</param>
    public static async Task<ScratchDatabase> CreateAsync(string prefix)
    {
        var database = new ScratchDatabase(prefix + "_" + Guid.NewGuid().ToString("n"));
        await ServerStep.ExecuteAsync(TestServers.Postgres, $"CREATE DATABASE {database._name}");
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ServerStep.ExecuteAsync(TestServers.Postgres, $"DROP DATABASE IF EXISTS {_name} WITH (FORCE)");
    }
}
