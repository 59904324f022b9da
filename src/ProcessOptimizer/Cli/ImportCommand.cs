using ProcessOptimizer.Configuration;
using ProcessOptimizer.Core.Data;
using ProcessOptimizer.Storage.Database;

namespace ProcessOptimizer.Cli;

/// <summary><c>import-data --csv FILE</c>: bulk-loads process data into the configured database.</summary>
internal sealed class ImportCommand(DatabaseSettings settings)
{
    public async Task<int> RunAsync(CommandLine line, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var path = line.Required("--csv");
        CsvTable table;
        try
        {
            // The whole file is parsed before anything is written: a bad line imports nothing.
            using var reader = new StreamReader(path);
            table = CsvTable.Read(reader, path);
        }
        catch (Exception ex) when (ex is InputException or IOException)
        {
            error.WriteLine($"import-data: {ex.Message}");
            return ExitCodes.Invalid;
        }

        var database = settings.Create();
        try
        {
            await database.MigrateAsync(cancellationToken).ConfigureAwait(false);
            var (rows, added) = await new ProcessDataImporter(database).ImportAsync(table, cancellationToken).ConfigureAwait(false);
            output.WriteLine($"imported {rows} rows into process_data of {database.Description}" + (added.Count > 0 ? $"; new columns: {string.Join(", ", added)}" : ""));
            return ExitCodes.Success;
        }
        catch (Exception ex) when (ex is DatabaseException or InputException)
        {
            error.WriteLine($"import-data: {ex.Message}");
            return ExitCodes.Failed;
        }
    }
}
