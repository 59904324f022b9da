using System.Diagnostics;
using ProcessOptimizer.Core.Data;
using ProcessOptimizer.Storage.Database;
using ProcessOptimizer.Storage.Resilience;

namespace ProcessOptimizer.Storage.Tests.Database;

/// <summary>
/// import-data on a PostgreSQL that stops answering (a relay that answers nothing, as a server under SIGSTOP): the
/// import has no limit on its length, which grows with the file, yet a hung server ends it within the call timeout,
/// with an error that names the database and the step. Outside the guard, its small statements (the schema lock)
/// each waited the driver's backstop of twice the timeout and a second, and the COPY and the merge waited for ever.
/// </summary>
[Collection(HungDependencyCollection.Name)]
public sealed class HungImportTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    // What the bound allows beyond the timeout: the probe finds a hang within about a second, and a loaded machine adds.
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(1.5);

    // Far past the bound: a test that fails does not hang the run.
    private static readonly TimeSpan GiveUp = TimeSpan.FromSeconds(40);

    private DatabaseUnderTest _under = null!;
    private PausableRelay _relay = null!;
    private ProcessDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _under = await DatabaseUnderTest.CreateAsync(DatabaseKind.Postgres);
        _relay = new PausableRelay(_under.ConnectionString);
        _database = ProcessDatabase.Create(DatabaseKind.Postgres, _relay.ConnectionString, new DatabaseOptions { Resilience = new ResilienceOptions { Timeout = Timeout } });
        await _database.MigrateAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        _relay.Resume();
        await _relay.DisposeAsync();
        await _under.DisposeAsync();
    }

    [Fact]
    public async Task ImportStream_ServerHungBeforeTheImport_FailsWithinTheTimeoutNamingTheDatabaseAndTheStep()
    {
        _relay.Pause();

        var (error, took) = await ImportAsync(new GeneratedCsv(100));

        Assert.True(took < Timeout + Slack, $"the import ended {took.TotalSeconds:F1} s after the server stopped answering, with a {Timeout.TotalSeconds:G} s timeout: {error.Message}");
        Assert.StartsWith($"{_database.Description}: cannot import process data (", error.Message, StringComparison.Ordinal);
        Assert.True(error.IsTransient, error.Message);
    }

    [Fact]
    public async Task ImportStream_ServerHungInTheMiddleOfTheCopy_FailsWithinTheTimeoutNamingTheRowsSent()
    {
        // 300,000 rows are megabytes of COPY data: past the socket buffers, so the writes themselves wait.
        var clock = new Stopwatch();
        var csv = new GeneratedCsv(300_000, r =>
        {
            if (r == 5_000)
            {
                _relay.Pause();
                clock.Start();
            }
        });

        var (error, _) = await ImportAsync(csv);

        Assert.True(clock.Elapsed < Timeout + Slack, $"the import ended {clock.Elapsed.TotalSeconds:F1} s after the server stopped answering, with a {Timeout.TotalSeconds:G} s timeout: {error.Message}");
        Assert.StartsWith($"{_database.Description}: cannot import process data (sending the rows", error.Message, StringComparison.Ordinal);
        Assert.True(csv.RowsRead < 300_000, "the whole file was read: the writes did not wait for the hung server");
    }

    [Fact]
    public async Task ImportStream_ServerHungOnceEveryRowIsSent_FailsWithinTheTimeoutNamingTheMerge()
    {
        var clock = new Stopwatch();
        var csv = new GeneratedCsv(2_000, r =>
        {
            if (r == 2_000)
            {
                _relay.Pause();
                clock.Start();
            }
        });

        var (error, _) = await ImportAsync(csv);

        Assert.True(clock.Elapsed < Timeout + Slack, $"the import ended {clock.Elapsed.TotalSeconds:F1} s after the server stopped answering, with a {Timeout.TotalSeconds:G} s timeout: {error.Message}");
        Assert.StartsWith($"{_database.Description}: cannot import process data (writing the 2000 rows sent into process_data)", error.Message, StringComparison.Ordinal);

        // Nothing was committed: once the server answers again, the table is as it was.
        _relay.Resume();
        Assert.Empty(await new SqlProcessDataSource(ProcessDatabase.Create(DatabaseKind.Postgres, _under.ConnectionString)).ReadWindowAsync([], 10, GeneratedCsv.Start.AddDays(30), CancellationToken.None));
    }

    private async Task<(DatabaseException Error, TimeSpan Took)> ImportAsync(GeneratedCsv csv)
    {
        var clock = Stopwatch.StartNew();
        var import = new ProcessDataImporter(_database).ImportAsync(new CsvRowReader(csv, "hung.csv"), CancellationToken.None);
        var error = await Assert.ThrowsAsync<DatabaseException>(() => import.WaitAsync(GiveUp));
        return (error, clock.Elapsed);
    }
}
