using ProcessOptimizer.Storage.Database;

namespace ProcessOptimizer.Storage.Tests.Database;

/// <summary>A test class's own fresh database of one kind, migrated before its first test and dropped after its last.</summary>
public abstract class MigratedDatabase(DatabaseKind kind) : IAsyncLifetime
{
    private DatabaseUnderTest _under = null!;

    protected ProcessDatabase Database { get; private set; } = null!;

    protected DatabaseKind Kind => kind;

    protected string ConnectionString => _under.ConnectionString;

    /// <summary>A new <see cref="ProcessDatabase"/> over the same data, as after a restart.</summary>
    protected ProcessDatabase Reopen() => _under.Open();

    public async Task InitializeAsync()
    {
        _under = await DatabaseUnderTest.CreateAsync(kind);
        Database = _under.Open();
        if (kind == DatabaseKind.Postgres)
        {
            await ServerStep.RunAsync("PostgreSQL", ServerStep.Address(ConnectionString), "the schema's migration", Database.MigrateAsync);
        }
        else
        {
            // A file, not a server: nothing there accepts and then stays silent.
            await Database.MigrateAsync(CancellationToken.None);
        }
    }

    public async Task DisposeAsync() => await _under.DisposeAsync();
}
