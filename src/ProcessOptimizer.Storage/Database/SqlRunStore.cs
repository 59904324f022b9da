using System.Data.Common;
using System.Text.Json;
using ProcessOptimizer.Core.Runs;

namespace ProcessOptimizer.Storage.Database;

/// <summary>Stores runs and their recommendations; each run, or each group of runs, is written in one transaction.</summary>
public sealed class SqlRunStore(ProcessDatabase database) : IRunStore
{
    private readonly RunWriter _writer = new(database.Dialect);

    /// <summary>The run columns <see cref="Read"/> maps, in its order.</summary>
    internal const string Columns = "id, strategy_name, strategy_version, model_versions, data_timestamp, started_at, finished_at, duration_ms, outcome, solver_status, iterations, cost, message, run_key, node, data_key, message_items";

    public async Task<RunSave> SaveAsync(RunRecord run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        return (await SaveAllAsync([run], cancellationToken).ConfigureAwait(false))[0];
    }

    public Task<IReadOnlyList<RunSave>> SaveAllAsync(IReadOnlyList<RunRecord> runs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runs);
        return database.GuardedAsync("store the run", _writer.SaveAllAsync, runs, cancellationToken, write: true);
    }

    public async Task<RunRecord?> LatestAsync(string? strategyName, CancellationToken cancellationToken) =>
        (await QueryAsync(
            strategyName is null ? "ORDER BY id DESC LIMIT 1" : "WHERE strategy_name = @name ORDER BY id DESC LIMIT 1",
            c => ProcessDatabase.Parameter(c, "@name", strategyName), withRecommendations: true, cancellationToken).ConfigureAwait(false)).FirstOrDefault();

    public Task<IReadOnlyList<RunRecord>> RangeAsync(DateTimeOffset from, DateTimeOffset to, int limit, string? strategyName, CancellationToken cancellationToken) =>
        QueryAsync($"WHERE started_at >= @from AND started_at <= @to{(strategyName is null ? "" : " AND strategy_name = @name")} ORDER BY started_at DESC, id DESC LIMIT @limit", c =>
        {
            if (strategyName is not null)
            {
                ProcessDatabase.Parameter(c, "@name", strategyName);
            }

            ProcessDatabase.Parameter(c, "@from", database.Dialect.Timestamp(from));
            ProcessDatabase.Parameter(c, "@to", database.Dialect.Timestamp(to));
            ProcessDatabase.Parameter(c, "@limit", Math.Clamp(limit, 1, 10_000));
        }, withRecommendations: false, cancellationToken);

    public async Task<RunRecord?> GetAsync(long id, CancellationToken cancellationToken) =>
        (await QueryAsync("WHERE id = @id", c => ProcessDatabase.Parameter(c, "@id", id), withRecommendations: true, cancellationToken).ConfigureAwait(false)).FirstOrDefault();

    public Task<int> PruneAsync(string strategyName, int? keepRows, DateTimeOffset? startedBefore, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(strategyName);
        ArgumentOutOfRangeException.ThrowIfNegative(keepRows ?? 0);
        var conditions = new List<string>();
        if (keepRows is not null)
        {
            // The id of the newest run past the kept ones, or NULL (no deletion) while there are not that many.
            conditions.Add("id <= (SELECT id FROM optimization_runs WHERE strategy_name = @name ORDER BY id DESC LIMIT 1 OFFSET @keep)");
        }

        if (startedBefore is not null)
        {
            conditions.Add("started_at < @before");
        }

        if (conditions.Count == 0)
        {
            return Task.FromResult(0);
        }

        var doomed = $"SELECT id FROM optimization_runs WHERE strategy_name = @name AND ({string.Join(" OR ", conditions)})";
        var dialect = database.Dialect;
        return database.RunAsync("prune runs", async (connection, transaction, ct) =>
        {
            // Recommendations first: SQLite enforces the cascade only on connections that turn foreign keys on.
            var deleted = 0;
            foreach (var sql in new[] { $"DELETE FROM optimization_recommendations WHERE run_id IN ({doomed})", $"DELETE FROM optimization_runs WHERE id IN ({doomed})" })
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = sql;
                ProcessDatabase.Parameter(command, "@name", strategyName);
                if (keepRows is { } keep)
                {
                    ProcessDatabase.Parameter(command, "@keep", keep);
                }

                if (startedBefore is { } before)
                {
                    ProcessDatabase.Parameter(command, "@before", dialect.Timestamp(before));
                }

                deleted = await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            return deleted;
        }, cancellationToken);
    }

    public Task<DateTimeOffset?> LastRunTimestampAsync(string strategyName, CancellationToken cancellationToken)
    {
        var dialect = database.Dialect;
        var consumed = string.Join(", ", RunOutcomes.ConsumedData.Select(o => $"'{o.Name()}'"));
        return database.RunAsync("read the last-run timestamp", async (connection, transaction, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"SELECT data_timestamp FROM optimization_runs WHERE strategy_name = @name AND data_timestamp IS NOT NULL AND outcome IN ({consumed}) ORDER BY data_timestamp DESC LIMIT 1";
            ProcessDatabase.Parameter(command, "@name", strategyName);
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            return await reader.ReadAsync(ct).ConfigureAwait(false) ? dialect.ReadTimestamp(reader, 0) : (DateTimeOffset?)null;
        }, cancellationToken);
    }

    private Task<IReadOnlyList<RunRecord>> QueryAsync(string where, Action<DbCommand> bind, bool withRecommendations, CancellationToken cancellationToken)
    {
        var dialect = database.Dialect;
        return database.RunAsync("read runs", async (connection, transaction, ct) =>
        {
            var runs = new List<RunRecord>();
            await using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = $"SELECT {Columns} FROM optimization_runs {where}";
                bind(command);
                await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    runs.Add(Read(reader, dialect));
                }
            }

            if (!withRecommendations)
            {
                return (IReadOnlyList<RunRecord>)runs;
            }

            for (var i = 0; i < runs.Count; i++)
            {
                runs[i] = runs[i] with { Recommendations = await RecommendationsAsync(connection, transaction, runs[i].Id, ct).ConfigureAwait(false) };
            }

            return runs;
        }, cancellationToken);
    }

    private static async Task<IReadOnlyList<Recommendation>> RecommendationsAsync(DbConnection connection, DbTransaction transaction, long id, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT variable, current_value, recommended_value, delta, units FROM optimization_recommendations WHERE run_id = @id ORDER BY variable";
        ProcessDatabase.Parameter(command, "@id", id);
        var result = new List<Recommendation>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new Recommendation(reader.GetString(0), reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetString(4)));
        }

        return result;
    }

    internal static RunRecord Read(DbDataReader reader, SqlDialect dialect) => new()
    {
        Id = reader.GetInt64(0),
        StrategyName = reader.GetString(1),
        StrategyVersion = reader.GetString(2),
        ModelVersions = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(3)) ?? [],
        DataTimestamp = reader.IsDBNull(4) ? null : dialect.ReadTimestamp(reader, 4),
        StartedAt = dialect.ReadTimestamp(reader, 5),
        FinishedAt = dialect.ReadTimestamp(reader, 6),
        Outcome = RunOutcomes.Parse(reader.GetString(8)),
        SolverStatus = reader.IsDBNull(9) ? null : reader.GetString(9),
        Iterations = reader.IsDBNull(10) ? null : reader.GetInt32(10),
        Cost = reader.IsDBNull(11) ? null : reader.GetDouble(11),
        Message = reader.IsDBNull(12) ? null : reader.GetString(12),
        Key = reader.IsDBNull(13) ? null : reader.GetString(13),
        Node = reader.IsDBNull(14) ? null : reader.GetString(14),
        DataKey = reader.IsDBNull(15) ? null : reader.GetString(15),
        MessageItems = reader.IsDBNull(16) ? null : JsonSerializer.Deserialize<string[]>(reader.GetString(16)),
    };
}
