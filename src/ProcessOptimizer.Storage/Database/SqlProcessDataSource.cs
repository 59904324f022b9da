using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Data;

namespace ProcessOptimizer.Storage.Database;

/// <summary>Reads cycle windows from a wide process-data table, <c>process_data</c> unless a strategy names another.</summary>
/// <param name="table">A plain table name, checked by the configuration that names it.</param>
public sealed class SqlProcessDataSource(ProcessDatabase database, string table = "process_data") : IProcessDataSource
{
    // The table's columns, remembered between cycles: reading the catalogue cost more than the window itself
    // on PostgreSQL. A tag that is not in the remembered set sends us back to the catalogue.
    private volatile IReadOnlySet<string>? _columns;

    public async Task<IReadOnlyList<ProcessRow>> ReadWindowAsync(IReadOnlyList<string> tags, int rows, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var dialect = database.Dialect;
        try
        {
            return await database.RunAsync("read the data window", async (connection, transaction, ct) =>
            {
                var columns = _columns;
                if (columns is null || !tags.All(columns.Contains))
                {
                    columns = (await dialect.ColumnsAsync(connection, table, ct).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
                    _columns = columns;
                }

                var missing = tags.Where(t => !columns.Contains(t)).ToList();
                if (missing.Count > 0)
                {
                    throw new DataSourceException($"{database.Description}: {table} has no column for {string.Join(", ", missing)}", isTransient: false, missing);
                }

                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                var selected = string.Join("", tags.Select(t => ", " + SqlDialect.Quote(t)));
                command.CommandText = $"SELECT {dialect.InstantColumn("timestamp")}{selected} FROM {SqlDialect.Quote(table)} WHERE \"timestamp\" <= @at ORDER BY \"timestamp\" DESC LIMIT @rows";
                ProcessDatabase.Parameter(command, "@at", dialect.Timestamp(at));
                ProcessDatabase.Parameter(command, "@rows", Math.Max(1, rows));
                var result = new List<ProcessRow>();
                await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    var values = new Dictionary<string, double?>(tags.Count, StringComparer.Ordinal);
                    for (var i = 0; i < tags.Count; i++)
                    {
                        values[tags[i]] = reader.IsDBNull(i + 1) ? null : Convert.ToDouble(reader.GetValue(i + 1), System.Globalization.CultureInfo.InvariantCulture);
                    }

                    result.Add(new ProcessRow(dialect.ReadTimestamp(reader, 0), values));
                }

                result.Reverse();
                return (IReadOnlyList<ProcessRow>)result;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (DatabaseException ex)
        {
            // A column dropped since it was remembered fails the query: look at the catalogue again next time.
            _columns = null;
            throw new DataSourceException(ex.Message, ex.IsTransient, inner: ex);
        }
    }

    /// <summary>The time span of the stored data, or null when the table is empty.</summary>
    public Task<ProcessDataSpan?> SpanAsync(CancellationToken cancellationToken)
    {
        var dialect = database.Dialect;
        return database.RunAsync("read the data span", async (connection, transaction, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            var time = dialect.InstantColumn("timestamp");
            command.CommandText = $"SELECT min({time}), max({time}), count(*) FROM {SqlDialect.Quote(table)}";
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            return await reader.ReadAsync(ct).ConfigureAwait(false) && !reader.IsDBNull(0)
                ? new ProcessDataSpan(dialect.ReadTimestamp(reader, 0), dialect.ReadTimestamp(reader, 1), reader.GetInt64(2))
                : null;
        }, cancellationToken);
    }
}
