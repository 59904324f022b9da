using Npgsql;

namespace ProcessOptimizer.Tests.Faults;

/// <summary>
/// A PostgreSQL login with the rights the README names (read and write one database's tables, use its schema and
/// sequences) and owner of nothing: how a plant's database administrator would run the service. Its name is unique; it is dropped after the test.
/// </summary>
internal sealed class LeastPrivilegeRole
{
    public string Name { get; } = "po_svc_" + Guid.NewGuid().ToString("n")[..12];

    /// <summary><paramref name="connection"/> (an admin's, to the database) logging in as this role.</summary>
    public string As(string connection) => new NpgsqlConnectionStringBuilder(connection) { Username = Name, Password = null }.ConnectionString;

    /// <summary>Creates the role and grants it the rights on what the database holds now.</summary>
    public async Task GrantAsync(string connection)
    {
        var database = new NpgsqlConnectionStringBuilder(connection).Database;
        await using var db = new NpgsqlConnection(connection);
        await db.OpenAsync();
        await using var grant = new NpgsqlCommand(
            $"""
            CREATE ROLE {Name} LOGIN;
            GRANT CONNECT, TEMPORARY ON DATABASE {database} TO {Name};
            GRANT USAGE ON SCHEMA public TO {Name};
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {Name};
            GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {Name};
            """, db);
        await grant.ExecuteNonQueryAsync();
    }

    /// <summary>Drops the role, once the database it had rights on is gone.</summary>
    public async Task DropAsync(string adminConnection)
    {
        NpgsqlConnection.ClearAllPools();
        await using var db = new NpgsqlConnection(adminConnection);
        await db.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP ROLE IF EXISTS {Name}", db);
        await drop.ExecuteNonQueryAsync();
    }
}
