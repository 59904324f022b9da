using System.Data.Common;
using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Data;

namespace ProcessOptimizer.Storage.Database;

/// <summary>Reads cycle windows from a wide process-data table, <c>process_data</c> unless a strategy names another.</summary>
/// <param name="table">A plain table name, checked by the configuration that names it.</param>
/// <remarks>
/// Each list of tags it is asked for (a strategy's) gets a <see cref="WindowQuery"/> of its own, kept while the reads
/// succeed: the query's text, windows to fill and, on SQLite, connections with the query prepared. They live as long
/// as the source; a query that fails, or that is not kept, closes its connections.
/// </remarks>
public sealed class SqlProcessDataSource(ProcessDatabase database, string table = "process_data") : IProcessDataSource
{
    // A source serves the strategies that read its table; beyond this many lists of tags, the others are built per read.
    private const int MaxQueries = 8;

    private volatile WindowQuery[] _queries = [];

    public async ValueTask<ProcessWindow> ReadWindowAsync(IReadOnlyList<string> tags, int rows, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tags);
        WindowQuery? query = null;
        var once = false;
        try
        {
            query = Find(tags, rows);
            if (query is null)
            {
                query = await CheckedAsync(tags, rows, cancellationToken).ConfigureAwait(false);
                once = Find(tags, rows) != query;
            }

            return await database.GuardedAsync("read the data window", query.Read, at, cancellationToken).ConfigureAwait(false);
        }
        catch (DatabaseException ex)
        {
            // A column dropped since the query was checked fails it: look at the catalogue again next time.
            Forget(query);
            throw new DataSourceException(ex.Message, ex.IsTransient, inner: ex);
        }
        finally
        {
            // Beyond the queries kept, one is made per read: its connection is closed with the read.
            if (once)
            {
                query?.Dispose();
            }
        }
    }

    private WindowQuery? Find(IReadOnlyList<string> tags, int rows)
    {
        var queries = _queries;
        for (var i = 0; i < queries.Length; i++)
        {
            if (queries[i].Reads(tags, rows))
            {
                return queries[i];
            }
        }

        return null;
    }

    // The table's catalogue, looked at once per list of tags: reading it cost more than the window itself on PostgreSQL.
    private async Task<WindowQuery> CheckedAsync(IReadOnlyList<string> tags, int rows, CancellationToken cancellationToken)
    {
        var dialect = database.Dialect;
        var columns = await database.RunAsync("read the data window", (connection, _, ct) => dialect.ColumnsAsync(connection, table, ct), cancellationToken).ConfigureAwait(false);
        var missing = tags.Where(t => !columns.Contains(t, StringComparer.Ordinal)).ToList();
        if (missing.Count > 0)
        {
            throw new DataSourceException($"{database.Description}: {table} has no column for {string.Join(", ", missing)}", isTransient: false, missing);
        }

        if (dialect.TimeIndex(table) is { } index)
        {
            await database.RunAsync("index the data table by time", (connection, transaction, ct) => IndexAsync(connection, transaction, index, ct), cancellationToken, readFirst: true).ConfigureAwait(false);
        }

        var query = new WindowQuery(database, table, tags, rows);
        var queries = _queries;
        if (queries.Length < MaxQueries)
        {
            _queries = [.. queries, query];
        }

        return query;
    }

    // The schema makes the index of process_data; a strategy's own table gets it at its first read, once (a year of
    // minutes is about a second of work). Without it every read would scan the whole table.
    private async Task IndexAsync(DbConnection connection, DbTransaction transaction, SchemaStep index, CancellationToken cancellationToken)
    {
        if (!(await database.Dialect.ObjectsAsync(connection, cancellationToken).ConfigureAwait(false)).Contains(index.Name))
        {
            await ProcessDatabase.ExecuteAsync(connection, transaction, index.Create, cancellationToken).ConfigureAwait(false);
        }
    }

    private void Forget(WindowQuery? query)
    {
        if (query is not null)
        {
            _queries = [.. _queries.Where(q => q != query)];
            query.Dispose();
        }
    }

    public async Task<RowsAfter?> AfterAsync(DateTimeOffset after, CancellationToken cancellationToken)
    {
        var dialect = database.Dialect;
        try
        {
            return await database.RunAsync("count the rows stamped after now", async (connection, transaction, ct) =>
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                // The window's own comparison, reversed: exactly the rows a read at `after` leaves out by their time,
                // whatever the text form of their timestamp. A row whose timestamp is no time is in neither.
                var key = dialect.TimeKey("timestamp");
                command.CommandText = $"SELECT count(*), max({dialect.WindowTimeColumn("timestamp")}) FROM {SqlDialect.Quote(table)} WHERE {key} > @at";
                ProcessDatabase.Parameter(command, "@at", dialect.UpTo(after));
                long count;
                DateTimeOffset? newest;
                await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
                {
                    (count, newest) = await reader.ReadAsync(ct).ConfigureAwait(false) && reader.GetInt64(0) > 0 ? (reader.GetInt64(0), dialect.ReadWindowTime(reader, 1)) : (0L, (DateTimeOffset?)null);
                }

                var timeless = dialect.TimeIndex(table) is null ? null : await TimelessAsync(command, key, ct).ConfigureAwait(false);
                return count > 0 || timeless is not null ? new RowsAfter(count, newest, timeless) : null;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (DatabaseException ex)
        {
            throw new DataSourceException(ex.Message, ex.IsTransient, inner: ex);
        }
    }

    // Where the key is worked out from text (SQLite), a row stamped with no time in any form has none, so no window
    // reads it: it is counted here, through the key's index, where such rows come first, and named with the cycle.
    private async Task<TimelessRows?> TimelessAsync(DbCommand command, string key, CancellationToken cancellationToken)
    {
        command.Parameters.Clear();
        command.CommandText = $"SELECT count(*), min(\"timestamp\"), count(\"timestamp\") FROM {SqlDialect.Quote(table)} WHERE {key} IS NULL";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) && reader.GetInt64(0) > 0
            ? new TimelessRows(table, reader.GetInt64(0), reader.GetInt64(2) > 0 ? reader.GetString(1) : null)
            : null;
    }

    /// <summary>The time span of the stored data, or null when the table is empty.</summary>
    public Task<ProcessDataSpan?> SpanAsync(CancellationToken cancellationToken)
    {
        var dialect = database.Dialect;
        return database.RunAsync("read the data span", async (connection, transaction, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            // Rows whose timestamp is no time are not in any window, so not in its span either.
            var time = dialect.WindowTimeColumn("timestamp");
            command.CommandText = $"SELECT min({time}), max({time}), count({time}) FROM {SqlDialect.Quote(table)}";
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            return await reader.ReadAsync(ct).ConfigureAwait(false) && !reader.IsDBNull(0)
                ? new ProcessDataSpan(dialect.ReadWindowTime(reader, 0), dialect.ReadWindowTime(reader, 1), reader.GetInt64(2))
                : null;
        }, cancellationToken);
    }
}
