using ProcessOptimizer.Core.Data;

namespace ProcessOptimizer.Storage.Database;

/// <summary>
/// Loads a CSV of process data into <c>process_data</c>: missing tag columns are created, rows are upserted by
/// timestamp (so importing twice changes nothing), and everything happens in one transaction.
/// </summary>
public sealed class ProcessDataImporter(ProcessDatabase database)
{
    /// <returns>The rows written and the tag columns that had to be created.</returns>
    public Task<(int Rows, IReadOnlyList<string> NewColumns)> ImportAsync(CsvTable table, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table.Columns.Count == 0)
        {
            throw new InputException("the CSV has no tag columns besides 'timestamp'");
        }

        var dialect = database.Dialect;
        return database.RunAsync("import process data", async (connection, transaction, ct) =>
        {
            await dialect.LockSchemaAsync(connection, transaction, ct).ConfigureAwait(false);
            var existing = await dialect.ColumnsAsync(connection, "process_data", ct).ConfigureAwait(false);
            var added = table.Columns.Where(c => !existing.Contains(c, StringComparer.Ordinal)).ToList();
            foreach (var column in added)
            {
                await ProcessDatabase.ExecuteAsync(connection, transaction, $"ALTER TABLE process_data ADD COLUMN {SqlDialect.Quote(column)} DOUBLE PRECISION NULL", ct).ConfigureAwait(false);
            }

            var rows = table.Rows.Select(r => (r.Timestamp, r.Values)).ToList();
            await dialect.UpsertRowsAsync(connection, transaction, table.Columns, rows, ct).ConfigureAwait(false);
            return (rows.Count, (IReadOnlyList<string>)added);
        }, cancellationToken);
    }
}
