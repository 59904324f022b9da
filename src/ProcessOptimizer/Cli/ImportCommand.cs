using ProcessOptimizer.Configuration;
using ProcessOptimizer.Core.Data;
using ProcessOptimizer.Storage.Database;

namespace ProcessOptimizer.Cli;

/// <summary><c>import-data --csv FILE</c>: streams process data into the configured database.</summary>
/// <remarks>
/// All or nothing: the file is read, converted and written a batch at a time inside one transaction, and a
/// malformed line anywhere (exit code 2, with its line number and column) rolls back every row before it. A cell
/// that holds NaN or an infinity is stored empty, on either database, and counted in the output. A lock that another
/// session holds is waited for no longer than the database's timeout: the import then fails (exit code 1) naming
/// the database, the step and the lock, and imports nothing.
/// </remarks>
internal sealed class ImportCommand(DatabaseSettings settings)
{
    public async Task<int> RunAsync(CommandLine line, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var path = line.Required("--csv");
        var database = settings.Create();
        try
        {
            using var reader = new StreamReader(path);
            var csv = new CsvRowReader(reader, path);
            await database.MigrateAsync(cancellationToken).ConfigureAwait(false);
            var (rows, added) = await new ProcessDataImporter(database).ImportAsync(csv, cancellationToken).ConfigureAwait(false);
            output.WriteLine($"imported {rows} rows into process_data of {database.Description}"
                + (added.Count > 0 ? $"; new columns: {string.Join(", ", added)}" : "")
                + (csv.NotFinite > 0 ? $"; {csv.NotFinite} cells held NaN or an infinity and were stored empty, as missing values (the first at {csv.FirstNotFinite})" : ""));
            return ExitCodes.Success;
        }
        catch (Exception ex) when (ex is InputException or IOException)
        {
            error.WriteLine($"import-data: {ex.Message} (nothing was imported)");
            return ExitCodes.Invalid;
        }
        catch (DatabaseException ex)
        {
            error.WriteLine($"import-data: {ex.Message}");
            return ExitCodes.Failed;
        }
    }
}
