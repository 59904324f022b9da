using ProcessOptimizer.Core.Data;
using ProcessOptimizer.Demo;
using ProcessOptimizer.Storage.Database;

namespace ProcessOptimizer.Benchmarks;

/// <summary>The kiln example's history imported into a SQLite file of its own, read as the loop reads it; the file goes on dispose.</summary>
internal sealed class KilnHistory : IDisposable
{
    private readonly string _folder;

    private KilnHistory(string folder, CsvTable table, SqlProcessDataSource source) => (_folder, Table, Source) = (folder, table, source);

    public CsvTable Table { get; }

    public SqlProcessDataSource Source { get; }

    /// <summary>The timestamp of the example's latest window (examples/kiln/window-latest.csv).</summary>
    public DateTimeOffset Latest => Table.Rows[3919].Timestamp;

    public static async Task<KilnHistory> ImportAsync(string name)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"po-{name}-{Guid.NewGuid():n}");
        var database = ProcessDatabase.Create(DatabaseKind.Sqlite, $"Data Source={Path.Combine(folder, $"{name}.db")}");
        await database.MigrateAsync(CancellationToken.None);
        var table = ExampleHistory.Read(Path.Combine(Repository.Root, "examples", "kiln"));
        await new ProcessDataImporter(database).ImportAsync(table, CancellationToken.None);
        return new KilnHistory(folder, table, new SqlProcessDataSource(database));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
