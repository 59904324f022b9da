using Npgsql;
using Quartz;

namespace ProcessOptimizer.Scheduling;

/// <summary>
/// The cluster's Quartz tables in the service's PostgreSQL database: made before the scheduler starts, and again
/// when they are found gone while the service runs (the database restored to nothing). Both run the PostgreSQL DDL
/// that Quartz carries, which creates only what is missing and never alters or drops anything, and only when
/// something is missing, so a role that may not create tables runs on a schema made for it.
/// </summary>
/// <param name="connection">The service's PostgreSQL database.</param>
public sealed partial class QuartzSchema(string connection)
{
    private const string Script = "Quartz.Impl.AdoJobStore.Schema.create_postgres.sql";

    // Quartz's default table prefix, which the service keeps; PostgreSQL folds the unquoted names to lower case.
    private const string Prefix = "QRTZ_";

    // The transaction lock that replicas starting at once on an empty database take, so that one makes the tables
    // and the others then find them: concurrent CREATE ... IF NOT EXISTS of one name can fail on PostgreSQL's catalog.
    private const long CreationLock = 0x71727A5F736368;

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

    /// <summary>
    /// Why Quartz failed against the database, for health and the log: the database's own refusal when it refused a
    /// privilege (Quartz reports that as a schema that failed validation and sends the operator to its migration
    /// scripts, on a schema that is complete) or a write (a read-only database); else the first line of Quartz's
    /// message, since Quartz writes the inner exception into it whole, stack trace included.
    /// </summary>
    public static string Reason(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException { SqlState: PostgresErrorCodes.InsufficientPrivilege } refused:
                    return $"the database role may not use the cluster's Quartz tables ({refused.SqlState}: {refused.MessageText}); grant it SELECT, INSERT, UPDATE and DELETE on them (see Database privileges)";
                case PostgresException { SqlState: PostgresErrorCodes.ReadOnlySqlTransaction } readOnly:
                    return $"the database is read-only ({readOnly.SqlState}: {readOnly.MessageText}): the scheduler can neither check in nor fire a cycle";
            }
        }

        var message = exception.Message;
        var end = message.AsSpan().IndexOfAny('\r', '\n');
        return end < 0 ? message : message[..end];
    }

    /// <summary>Creates the missing Quartz tables and indexes, in one transaction; does nothing when none is missing.</summary>
    /// <exception cref="NpgsqlException">The database refuses (a role that may not create tables, say: the message says so).</exception>
    public async Task CreateMissingAsync(CancellationToken cancellationToken)
    {
        var statements = Statements();
        await using var database = new NpgsqlConnection(connection);
        await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var serialize = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", database, transaction))
        {
            serialize.Parameters.AddWithValue("key", CreationLock);
            await serialize.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var missing = new NpgsqlCommand("SELECT count(*) FROM unnest(@names) AS name WHERE to_regclass(name) IS NULL", database, transaction))
        {
            missing.Parameters.AddWithValue("names", statements.Select(Created).ToArray());
            if ((long)(await missing.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! == 0)
            {
                return;
            }
        }

        foreach (var statement in statements)
        {
            await using var command = new NpgsqlCommand(statement, database, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    // What a statement of the script creates: each is "CREATE TABLE|INDEX IF NOT EXISTS name ...".
    private static string Created(string statement) =>
        CreatedName().Match(statement) is { Success: true } match
            ? match.Groups[1].Value
            : throw new InvalidOperationException($"Quartz's {Script} has a statement that creates no named table or index: {statement}");

    [System.Text.RegularExpressions.GeneratedRegex(@"CREATE\s+(?:UNIQUE\s+)?(?:TABLE|INDEX)\s+IF\s+NOT\s+EXISTS\s+(\w+)", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex CreatedName();

    // The script's statements are separated by lines reading '--;;'; '{0}' is the table prefix and '{1}' the same
    // prefix without a schema qualifier, which the service's prefix has none of.
    private static IReadOnlyList<string> Statements()
    {
        using var stream = typeof(IScheduler).Assembly.GetManifestResourceStream(Script)
            ?? throw new InvalidOperationException($"Quartz.dll carries no {Script}: the Quartz package is not the one the service was built with");
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal).Replace("{0}", Prefix, StringComparison.Ordinal).Replace("{1}", Prefix, StringComparison.Ordinal);
        return [.. text.Split("\n--;;\n").Where(chunk => chunk.Split('\n').Any(line => line.Trim() is { Length: > 0 } code && !code.StartsWith("--", StringComparison.Ordinal)))];
    }
}
