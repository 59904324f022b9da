using Npgsql;
using ProcessOptimizer.Core.Data;
using ProcessOptimizer.Core.Runs;

namespace ProcessOptimizer.Storage.Database;

/// <summary>
/// The run statements on PostgreSQL: a run, its look-up and all its recommendations in one statement, so one round
/// trip a run where there were two and one more per recommendation. <c>BEGIN</c> goes out with the first run's
/// statement; <c>COMMIT</c> is the group's last round trip.
/// </summary>
/// <remarks>
/// The recommendations travel as arrays in the binary protocol, so every double is stored bit for bit (NaN and
/// infinities too), as when each was a parameter of its own. A run found under its keys inserts nothing: the statement
/// answers with that run's id. An insert that a concurrent writer's key turned into nothing answers nothing, and
/// the look-up runs again on its own, which then sees the winner.
/// </remarks>
internal sealed class PostgresRunStatements : RunStatements
{
    // Nullable values carry a cast: a null parameter has no type of its own, and INSERT ... SELECT gives it none.
    private const string SaveSql = $"""
        WITH found AS ({FindSql}),
        run AS (
          INSERT INTO optimization_runs ({RunColumns})
          SELECT @name, @version, @models, @data::timestamptz, @started, @finished, @duration, @outcome, @status::text, @iterations::integer,
            @cost::double precision, @message::text, @key::text, @node::text, @datakey::text, @items::text
          WHERE NOT EXISTS (SELECT FROM found)
          ON CONFLICT DO NOTHING
          RETURNING id),
        recommended AS (
          INSERT INTO optimization_recommendations ({RecommendationColumns})
          SELECT run.id, r.variable, r.current_value, r.recommended_value, r.delta, r.units
          FROM run, unnest(@variables::text[], @currents::double precision[], @recommendeds::double precision[], @deltas::double precision[], @units::text[])
            AS r (variable, current_value, recommended_value, delta, units))
        SELECT id, false FROM run UNION ALL SELECT id, true FROM found
        """;

    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlCommand _find;
    private readonly NpgsqlCommand _save;
    private NpgsqlTransaction? _transaction;

    public PostgresRunStatements(NpgsqlConnection connection)
    {
        _connection = connection;
        _find = Command(FindSql, "key", "datakey");
        _save = Command(SaveSql, "name", "version", "models", "data", "started", "finished", "duration", "outcome", "status", "iterations", "cost", "message", "key", "node", "datakey", "items",
            "variables", "currents", "recommendeds", "deltas", "units");
    }

    public override async ValueTask BeginAsync(CancellationToken cancellationToken)
    {
        _transaction = await _connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        _find.Transaction = _transaction;
        _save.Transaction = _transaction;
    }

    public override async ValueTask<RunSave> SaveAsync(RunRecord run, CancellationToken cancellationToken)
    {
        var items = run.Recommendations;
        var variables = new string[items.Count];
        var currents = new double[items.Count];
        var recommendeds = new double[items.Count];
        var deltas = new double[items.Count];
        var units = new string[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            variables[i] = (string)ProcessDatabase.Stored(items[i].Variable);
            currents[i] = items[i].Current;
            recommendeds[i] = items[i].Recommended;
            deltas[i] = items[i].Delta;
            units[i] = (string)ProcessDatabase.Stored(items[i].Units);
        }

        Bind(_save, run.StrategyName, run.StrategyVersion, ModelVersions(run), Time(run.DataTimestamp), Time(run.StartedAt), Time(run.FinishedAt),
            run.DurationMs, run.Outcome.Name(), run.SolverStatus, run.Iterations, Cost(run), run.Message, run.Key, run.Node, run.DataKey, MessageItems(run),
            variables, currents, recommendeds, deltas, units);
        await using (var reader = await _save.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return new RunSave(reader.GetInt64(0), reader.GetBoolean(1));
            }
        }

        Bind(_find, run.Key, run.DataKey);
        return new RunSave(await _find.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long id ? id : 0, true);
    }

    public override async ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        await _transaction!.CommitAsync(cancellationToken).ConfigureAwait(false);
        await _transaction.DisposeAsync().ConfigureAwait(false);
        _transaction = null;
    }

    public override async ValueTask DisposeAsync()
    {
        if (_transaction is not null)
        {
            await _transaction.DisposeAsync().ConfigureAwait(false);
        }

        await _find.DisposeAsync().ConfigureAwait(false);
        await _save.DisposeAsync().ConfigureAwait(false);
    }

    private NpgsqlCommand Command(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            ProcessDatabase.Parameter(command, "@" + name, null);
        }

        return command;
    }

    // Values in the order the command's parameters were declared, as the database stores them.
    // Cut here, as PostgresDialect.Timestamp cuts: the driver would move a time before 2000 forward.
    private static DateTime? Time(DateTimeOffset? time) => time is { } t ? DataTime.Whole(t.UtcDateTime) : null;

    private static void Bind(NpgsqlCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = ProcessDatabase.Stored(values[i]);
        }
    }
}
