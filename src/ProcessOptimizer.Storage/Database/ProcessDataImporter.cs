using System.Data.Common;
using ProcessOptimizer.Core.Data;

namespace ProcessOptimizer.Storage.Database;

/// <summary>
/// Loads process data into <c>process_data</c>: missing tag columns are created, rows are upserted by timestamp
/// (so importing twice changes nothing), and everything happens in one transaction: all or nothing.
/// </summary>
public sealed class ProcessDataImporter(ProcessDatabase database)
{
    // Rows parsed and written at a time: about 230 KB of values for the kiln's 14 tags.
    private const int BatchRows = 1024;

    /// <summary>Imports a table held in memory, under the database's guard (timeout, retries of transient failures).</summary>
    /// <returns>The rows written and the tag columns that had to be created.</returns>
    public Task<(int Rows, IReadOnlyList<string> NewColumns)> ImportAsync(CsvTable table, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        return database.RunAsync("import process data", (connection, transaction, ct) =>
            WriteAsync(connection, transaction, table.Columns, table.Batches(BatchRows), ct), cancellationToken, write: true);
    }

    /// <summary>
    /// Streams a CSV into the database a batch at a time, so memory does not grow with the file. The import runs
    /// once, without the per-call timeout (its length grows with the file) and without retries (the stream cannot
    /// be read again); a database that stops answering ends it all the same, within about that timeout.
    /// </summary>
    /// <returns>The rows written and the tag columns that had to be created.</returns>
    /// <remarks>
    /// A malformed line found part-way throws its <see cref="InputException"/> and the transaction is rolled back:
    /// the rows before it, and any new columns, are not imported either. A <see cref="DatabaseException"/> names the
    /// database and the step it failed at (a statement, or the rows sent so far). A lock that another session holds
    /// (an open transaction that updated a row or locked the table) is waited for no longer than the call timeout,
    /// each time one is needed; the failure then says so, and nothing is imported.
    /// </remarks>
    public Task<(int Rows, IReadOnlyList<string> NewColumns)> ImportAsync(CsvRowReader csv, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(csv);
        var step = new CurrentStep("opening a connection");
        return database.RunBulkAsync("import process data", step, (connection, transaction, ct) =>
            WriteAsync(connection, transaction, csv.Columns, Sent(csv.Batches(BatchRows), step), ct, step), cancellationToken);
    }

    private async Task<(int Rows, IReadOnlyList<string> NewColumns)> WriteAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<string> columns, IEnumerable<RowBatch> batches, CancellationToken cancellationToken, CurrentStep? step = null)
    {
        if (columns.Count == 0)
        {
            throw new InputException("the CSV has no tag columns besides 'timestamp'");
        }

        var dialect = database.Dialect;
        // The work grows with the file and has no bound, but a wait for another session's lock does: an operator's
        // open transaction would otherwise hold the import, and keep it from saying so, for as long as it stays open.
        await dialect.BoundLockWaitsAsync(connection, transaction, database.LockWait, cancellationToken).ConfigureAwait(false);
        step?.Now = "taking the schema lock";
        await dialect.LockSchemaAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        step?.Now = "reading the columns of process_data";
        var existing = await dialect.ColumnsAsync(connection, "process_data", cancellationToken).ConfigureAwait(false);
        var added = columns.Where(c => !existing.Contains(c, StringComparer.Ordinal)).ToList();
        foreach (var column in added)
        {
            step?.Now = $"adding the column '{column}' to process_data";
            await ProcessDatabase.ExecuteAsync(connection, transaction, $"ALTER TABLE process_data ADD COLUMN {SqlDialect.Quote(column)} DOUBLE PRECISION NULL", cancellationToken).ConfigureAwait(false);
        }

        var rows = await dialect.UpsertRowsAsync(connection, transaction, columns, batches, cancellationToken).ConfigureAwait(false);
        return (rows, added);
    }

    // The dialect asks for each batch once it has sent the one before: the step says how many rows have gone, and,
    // once every batch has, that the database writes them (PostgreSQL's merge of the copied rows, say).
    private static IEnumerable<RowBatch> Sent(IEnumerable<RowBatch> batches, CurrentStep step)
    {
        var sent = 0;
        step.Now = "sending the rows";
        foreach (var batch in batches)
        {
            yield return batch;
            sent += batch.Count;
            step.Now = $"sending the rows: {sent} sent";
        }

        step.Now = $"writing the {sent} rows sent into process_data";
    }
}
