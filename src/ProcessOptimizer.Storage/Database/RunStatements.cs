using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using ProcessOptimizer.Core.Runs;

namespace ProcessOptimizer.Storage.Database;

/// <summary>
/// The statements that store runs, created once per connection and rebound for each run: the database prepares
/// them at their first execution and, as long as the connection stays open, not again (see <see cref="RunWriter"/>).
/// </summary>
internal sealed class RunStatements : IAsyncDisposable
{
    private readonly SqlDialect _dialect;
    private readonly DbCommand _find;
    private readonly DbCommand _insert;
    private readonly DbCommand _recommend;

    public RunStatements(DbConnection connection, SqlDialect dialect)
    {
        _dialect = dialect;
        _find = Command(connection, "SELECT id FROM optimization_runs WHERE run_key = @key OR data_key = @datakey ORDER BY id LIMIT 1", "@key", "@datakey");
        // Another process may store the same key between the look-up and this insert (two replicas firing one
        // cycle): the unique keys turn the second insert into nothing, and the look-up names the winner.
        _insert = Command(connection, """
            INSERT INTO optimization_runs (strategy_name, strategy_version, model_versions, data_timestamp, started_at, finished_at, duration_ms, outcome, solver_status, iterations, cost, message, run_key, node, data_key, message_items)
            VALUES (@name, @version, @models, @data, @started, @finished, @duration, @outcome, @status, @iterations, @cost, @message, @key, @node, @datakey, @items)
            ON CONFLICT DO NOTHING
            RETURNING id
            """, "@name", "@version", "@models", "@data", "@started", "@finished", "@duration", "@outcome", "@status", "@iterations", "@cost", "@message", "@key", "@node", "@datakey", "@items");
        _recommend = Command(connection, "INSERT INTO optimization_recommendations (run_id, variable, current_value, recommended_value, delta, units) VALUES (@run, @variable, @current, @recommended, @delta, @units)",
            "@run", "@variable", "@current", "@recommended", "@delta", "@units");
    }

    /// <summary>Runs the statements in <paramref name="transaction"/>, which the connection has just begun; changing it keeps them prepared.</summary>
    public void Enlist(DbTransaction transaction)
    {
        _find.Transaction = transaction;
        _insert.Transaction = transaction;
        _recommend.Transaction = transaction;
    }

    /// <returns>The stored run's id; for a run whose key is stored already (before or earlier in this group), that run's id, marked a duplicate.</returns>
    public async Task<RunSave> SaveAsync(RunRecord run, CancellationToken cancellationToken)
    {
        if (await FindAsync(run, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return new RunSave(existing, true);
        }

        Bind(_insert, run.StrategyName, run.StrategyVersion, JsonSerializer.Serialize(run.ModelVersions), run.DataTimestamp is { } d ? _dialect.Timestamp(d) : null,
            _dialect.Timestamp(run.StartedAt), _dialect.Timestamp(run.FinishedAt), run.DurationMs, run.Outcome.Name(), run.SolverStatus, run.Iterations,
            run.Cost is { } c && double.IsFinite(c) ? c : null, run.Message, run.Key, run.Node, run.DataKey, run.MessageItems is { } items ? JsonSerializer.Serialize(items) : null);
        if (await _insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not { } inserted || inserted is DBNull)
        {
            return new RunSave(await FindAsync(run, cancellationToken).ConfigureAwait(false) ?? 0, true);
        }

        var id = Convert.ToInt64(inserted, CultureInfo.InvariantCulture);
        foreach (var item in run.Recommendations)
        {
            Bind(_recommend, id, item.Variable, item.Current, item.Recommended, item.Delta, item.Units);
            await _recommend.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return new RunSave(id, false);
    }

    public async ValueTask DisposeAsync()
    {
        await _find.DisposeAsync().ConfigureAwait(false);
        await _insert.DisposeAsync().ConfigureAwait(false);
        await _recommend.DisposeAsync().ConfigureAwait(false);
    }

    // The run stored already under either of this run's keys: the same cycle, or the same data consumed.
    private async Task<long?> FindAsync(RunRecord run, CancellationToken cancellationToken)
    {
        if (run.Key is null && run.DataKey is null)
        {
            return null;
        }

        Bind(_find, run.Key, run.DataKey);
        return await _find.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is { } existing and not DBNull
            ? Convert.ToInt64(existing, CultureInfo.InvariantCulture)
            : null;
    }

    private static DbCommand Command(DbConnection connection, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            ProcessDatabase.Parameter(command, name, null);
        }

        return command;
    }

    // Values in the order the command's parameters were declared, as the database stores them.
    private static void Bind(DbCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = ProcessDatabase.Stored(values[i]);
        }
    }
}
