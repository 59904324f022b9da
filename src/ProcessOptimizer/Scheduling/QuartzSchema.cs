using Npgsql;
using Quartz;

namespace ProcessOptimizer.Scheduling;

/// <summary>
/// The cluster's Quartz tables in the service's PostgreSQL database, made again when they are found gone while the
/// service runs (the database restored to nothing). Quartz makes them itself only when its scheduler is built, once
/// per process; this runs the same script, the PostgreSQL DDL that Quartz carries, which creates only what is
/// missing and never alters or drops anything.
/// </summary>
/// <param name="connection">The service's PostgreSQL database.</param>
public sealed class QuartzSchema(string connection)
{
    private const string Script = "Quartz.Impl.AdoJobStore.Schema.create_postgres.sql";

    // Quartz's default table prefix, which the service keeps; PostgreSQL folds the unquoted names to lower case.
    private const string Prefix = "QRTZ_";

    /// <summary>Whether <paramref name="exception"/> (or what caused it) says a Quartz table, or the database, is not there.</summary>
    public static bool IsMissing(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is PostgresException { SqlState: PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidCatalogName })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Creates the missing Quartz tables and indexes.</summary>
    /// <exception cref="NpgsqlException">The database refuses (a role that may not create tables, say: the message says so).</exception>
    public async Task CreateMissingAsync(CancellationToken cancellationToken)
    {
        await using var database = new NpgsqlConnection(connection);
        await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var statement in Statements())
        {
            await using var command = new NpgsqlCommand(statement, database);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    // The script's statements are separated by lines reading '--;;'; '{0}' is the table prefix and '{1}' the same
    // prefix without a schema qualifier, which the service's prefix has none of.
    private static IEnumerable<string> Statements()
    {
        using var stream = typeof(IScheduler).Assembly.GetManifestResourceStream(Script)
            ?? throw new InvalidOperationException($"Quartz.dll carries no {Script}: the Quartz package is not the one the service was built with");
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal).Replace("{0}", Prefix, StringComparison.Ordinal).Replace("{1}", Prefix, StringComparison.Ordinal);
        return [.. text.Split("\n--;;\n").Where(chunk => chunk.Split('\n').Any(line => line.Trim() is { Length: > 0 } code && !code.StartsWith("--", StringComparison.Ordinal)))];
    }
}
