using Npgsql;

namespace ProcessOptimizer.Tests.Scheduling;

/// <summary>
/// The database side of a cluster test: a scratch database with the plant's <c>process_data</c> table (a column
/// <c>tag0</c>, <c>tag1</c>, ... per strategy), the plant's feed into it, and the runs the replicas stored there.
/// </summary>
public sealed class PlantDatabase : IAsyncDisposable
{
    private readonly ScratchDatabase _database;
    private readonly int _tags;

    private PlantDatabase(ScratchDatabase database, int tags)
    {
        _database = database;
        _tags = tags;
    }

    public string Connection => _database.Connection;

    /// <param name="prefix">Names the test in the database's name.</param>
    /// <param name="tags">How many tag columns the plant writes.</param>
    public static async Task<PlantDatabase> CreateAsync(string prefix, int tags = 1)
    {
        var plant = new PlantDatabase(await ScratchDatabase.CreateAsync(prefix), tags);
        await plant.CreateProcessDataAsync();
        return plant;
    }

    /// <summary>
    /// Makes <c>process_data</c> and its tag columns where they are missing: also after a loss of the schema, when
    /// the service has made the table again with only its key and the operator's restore adds the tags.
    /// </summary>
    public async Task CreateProcessDataAsync()
    {
        await using var db = new NpgsqlConnection(Connection);
        await db.OpenAsync();
        var columns = string.Concat(Enumerable.Range(0, _tags).Select(i => $"; ALTER TABLE process_data ADD COLUMN IF NOT EXISTS tag{i} DOUBLE PRECISION"));
        await new NpgsqlCommand($"CREATE TABLE IF NOT EXISTS process_data (\"timestamp\" TIMESTAMPTZ PRIMARY KEY){columns}", db).ExecuteNonQueryAsync();
    }

    /// <summary>One new row of plant data, stamped now: tag i reads 30 + i.</summary>
    public async Task AddRowAsync(CancellationToken cancellationToken = default)
    {
        var columns = string.Join(", ", Enumerable.Range(0, _tags).Select(i => $"tag{i}"));
        var values = string.Join(", ", Enumerable.Range(0, _tags).Select(i => $"{30 + i}"));
        await using var db = new NpgsqlConnection(Connection);
        await db.OpenAsync(cancellationToken);
        await using var insert = new NpgsqlCommand($"INSERT INTO process_data (\"timestamp\", {columns}) VALUES (@at, {values}) ON CONFLICT DO NOTHING", db);
        insert.Parameters.AddWithValue("at", DateTime.UtcNow);
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The plant's feed: one new row a second until cancelled; it keeps trying while the table or the database is gone.</summary>
    public async Task FeedAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        do
        {
            try
            {
                await AddRowAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (NpgsqlException)
            {
                // The table or the database is gone for now.
            }
        }
        while (await NextAsync(timer, cancellationToken));
    }

    /// <summary>Every run stored (of <paramref name="strategy"/> only, when given), oldest first; none while the replicas have not made their schema.</summary>
    public async Task<IReadOnlyList<ClusterRun>> RunsAsync(string? strategy = null)
    {
        var runs = new List<ClusterRun>();
        try
        {
            await using var db = new NpgsqlConnection(Connection);
            await db.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT id, strategy_name, node, outcome, run_key, data_timestamp, started_at, strategy_version, message FROM optimization_runs ORDER BY id", db);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                runs.Add(new ClusterRun(
                    reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                    reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5), reader.GetFieldValue<DateTimeOffset>(6), reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetString(8)));
            }
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidCatalogName)
        {
            // No table yet, or the database is being made again.
        }

        return strategy is null ? runs : [.. runs.Where(r => r.Strategy == strategy)];
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    private static async Task<bool> NextAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
