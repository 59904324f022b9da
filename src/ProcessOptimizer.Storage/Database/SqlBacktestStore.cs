using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using ProcessOptimizer.Core.Backtests;
using ProcessOptimizer.Core.Runs;

namespace ProcessOptimizer.Storage.Database;

/// <summary>Stores backtests and their steps in <c>backtests</c> and <c>backtest_steps</c>.</summary>
public sealed class SqlBacktestStore(ProcessDatabase database) : IBacktestStore
{
    private const string HeaderColumns = "id, strategy_name, from_time, to_time, step_seconds, versions, status, created_at, finished_at, steps_done, steps_total, summary, error";
    // Backtests stored before the heartbeat column have none: their creation is their last sign of life.
    private const string Heartbeat = "COALESCE(heartbeat_at, created_at)";
    private const string StepColumns = "version, step_time, data_timestamp, outcome, cost, cost_at_current, cost_at_operators, message, detail";

    public Task<long> CreateAsync(BacktestRecord backtest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backtest);
        var dialect = database.Dialect;
        return database.RunAsync("store the backtest", async (connection, transaction, ct) =>
        {
            await using var insert = Command(connection, transaction, """
                INSERT INTO backtests (strategy_name, from_time, to_time, step_seconds, versions, status, created_at, steps_done, steps_total, heartbeat_at)
                VALUES (@name, @from, @to, @step, @versions, @status, @created, 0, @total, @created)
                RETURNING id
                """);
            ProcessDatabase.Parameter(insert, "@name", backtest.StrategyName);
            ProcessDatabase.Parameter(insert, "@from", dialect.Timestamp(backtest.From));
            ProcessDatabase.Parameter(insert, "@to", dialect.Timestamp(backtest.To));
            ProcessDatabase.Parameter(insert, "@step", backtest.Step.TotalSeconds);
            ProcessDatabase.Parameter(insert, "@versions", JsonSerializer.Serialize(backtest.Versions));
            ProcessDatabase.Parameter(insert, "@status", Name(backtest.Status));
            ProcessDatabase.Parameter(insert, "@created", dialect.Timestamp(backtest.CreatedAt));
            ProcessDatabase.Parameter(insert, "@total", backtest.StepsTotal);
            return Convert.ToInt64(await insert.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }, cancellationToken, write: true);
    }

    public Task SaveStepsAsync(long id, IReadOnlyList<BacktestStep> steps, int stepsDone, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var dialect = database.Dialect;
        return database.RunAsync("store backtest steps", async (connection, transaction, ct) =>
        {
            await using (var insert = Command(connection, transaction, $"INSERT INTO backtest_steps (backtest_id, {StepColumns}) VALUES (@id, @version, @time, @data, @outcome, @cost, @current, @operators, @message, @detail)"))
            {
                ProcessDatabase.Parameter(insert, "@id", id);
                var parameters = new[] { "@version", "@time", "@data", "@outcome", "@cost", "@current", "@operators", "@message", "@detail" }
                    .Select(name => ProcessDatabase.Parameter(insert, name, null)).ToArray();
                foreach (var step in steps)
                {
                    object?[] values =
                    [
                        step.Version, dialect.Timestamp(step.Time), step.DataTimestamp is { } d ? dialect.Timestamp(d) : null, step.Outcome.Name(),
                        Finite(step.Cost), Finite(step.CostAtCurrent), Finite(step.CostAtOperators), step.Message, StepDetail.Write(step),
                    ];
                    for (var i = 0; i < values.Length; i++)
                    {
                        parameters[i].Value = values[i] ?? DBNull.Value;
                    }

                    await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }
            }

            await using var progress = Command(connection, transaction, "UPDATE backtests SET steps_done = @done WHERE id = @id");
            ProcessDatabase.Parameter(progress, "@done", stepsDone);
            ProcessDatabase.Parameter(progress, "@id", id);
            await progress.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }, cancellationToken, write: true);
    }

    public Task FinishAsync(long id, BacktestStatus status, DateTimeOffset finishedAt, string? summary, string? error, CancellationToken cancellationToken) =>
        database.RunAsync("record the end of the backtest", async (connection, transaction, ct) =>
        {
            await using var update = Command(connection, transaction, "UPDATE backtests SET status = @status, finished_at = @finished, summary = @summary, error = @error WHERE id = @id");
            ProcessDatabase.Parameter(update, "@status", Name(status));
            ProcessDatabase.Parameter(update, "@finished", database.Dialect.Timestamp(finishedAt));
            ProcessDatabase.Parameter(update, "@summary", summary);
            ProcessDatabase.Parameter(update, "@error", error);
            ProcessDatabase.Parameter(update, "@id", id);
            await update.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }, cancellationToken, write: true);

    public Task HeartbeatAsync(long id, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.RunAsync("record that the backtest is alive", async (connection, transaction, ct) =>
        {
            await using var update = Command(connection, transaction, "UPDATE backtests SET heartbeat_at = @at WHERE id = @id AND status = 'running'");
            ProcessDatabase.Parameter(update, "@at", database.Dialect.Timestamp(at));
            ProcessDatabase.Parameter(update, "@id", id);
            await update.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }, cancellationToken, write: true);

    public Task<IReadOnlyList<long>> AbandonStaleAsync(DateTimeOffset silentSince, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var dialect = database.Dialect;
        return database.RunAsync("fail backtests whose process stopped", async (connection, transaction, ct) =>
        {
            var stale = new List<(long Id, DateTimeOffset Heartbeat)>();
            await using (var select = Command(connection, transaction, $"SELECT id, {Heartbeat} FROM backtests WHERE status = 'running' AND {Heartbeat} < @since"))
            {
                ProcessDatabase.Parameter(select, "@since", dialect.Timestamp(silentSince));
                await using var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    stale.Add((reader.GetInt64(0), dialect.ReadTimestamp(reader, 1)));
                }
            }

            foreach (var (id, heartbeat) in stale)
            {
                // The heartbeat is checked again in the update, so a backtest that spoke up meanwhile is left running.
                await using var update = Command(connection, transaction, $"UPDATE backtests SET status = 'failed', finished_at = @at, error = @error WHERE id = @id AND status = 'running' AND {Heartbeat} < @since");
                ProcessDatabase.Parameter(update, "@at", dialect.Timestamp(at));
                ProcessDatabase.Parameter(update, "@error", string.Create(CultureInfo.InvariantCulture, $"interrupted: the process running it stopped (no sign of life since {heartbeat:O}); the steps stored until then are kept"));
                ProcessDatabase.Parameter(update, "@id", id);
                ProcessDatabase.Parameter(update, "@since", dialect.Timestamp(silentSince));
                await update.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            return (IReadOnlyList<long>)[.. stale.Select(s => s.Id)];
        }, cancellationToken);
    }

    public Task<BacktestRecord?> GetAsync(long id, CancellationToken cancellationToken)
    {
        var dialect = database.Dialect;
        return database.RunAsync("read the backtest", async (connection, transaction, ct) =>
        {
            await using var select = Command(connection, transaction, $"SELECT {HeaderColumns} FROM backtests WHERE id = @id");
            ProcessDatabase.Parameter(select, "@id", id);
            await using var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
            return await reader.ReadAsync(ct).ConfigureAwait(false) ? ReadHeader(reader, dialect) : null;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<BacktestStep>> StepsAsync(long id, string? version, int offset, int limit, CancellationToken cancellationToken)
    {
        var dialect = database.Dialect;
        return database.RunAsync("read backtest steps", async (connection, transaction, ct) =>
        {
            var filter = version is null ? "" : " AND version = @version";
            await using var select = Command(connection, transaction, $"SELECT {StepColumns} FROM backtest_steps WHERE backtest_id = @id{filter} ORDER BY step_time, version LIMIT @limit OFFSET @offset");
            ProcessDatabase.Parameter(select, "@id", id);
            if (version is not null)
            {
                ProcessDatabase.Parameter(select, "@version", version);
            }

            ProcessDatabase.Parameter(select, "@limit", Math.Max(0, limit));
            ProcessDatabase.Parameter(select, "@offset", Math.Max(0, offset));
            var steps = new List<BacktestStep>();
            await using var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                steps.Add(ReadStep(reader, dialect));
            }

            return (IReadOnlyList<BacktestStep>)steps;
        }, cancellationToken);
    }

    private static DbCommand Command(DbConnection connection, DbTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;

    private static string Name(BacktestStatus status) => status.ToString().ToLowerInvariant();

    private static double? Nullable(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);

    private static BacktestRecord ReadHeader(DbDataReader reader, SqlDialect dialect) => new()
    {
        Id = reader.GetInt64(0),
        StrategyName = reader.GetString(1),
        From = dialect.ReadTimestamp(reader, 2),
        To = dialect.ReadTimestamp(reader, 3),
        Step = TimeSpan.FromSeconds(reader.GetDouble(4)),
        Versions = JsonSerializer.Deserialize<List<string>>(reader.GetString(5)) ?? [],
        Status = Enum.Parse<BacktestStatus>(reader.GetString(6), ignoreCase: true),
        CreatedAt = dialect.ReadTimestamp(reader, 7),
        FinishedAt = reader.IsDBNull(8) ? null : dialect.ReadTimestamp(reader, 8),
        StepsDone = reader.GetInt32(9),
        StepsTotal = reader.GetInt32(10),
        Summary = reader.IsDBNull(11) ? null : reader.GetString(11),
        Error = reader.IsDBNull(12) ? null : reader.GetString(12),
    };

    private static BacktestStep ReadStep(DbDataReader reader, SqlDialect dialect)
    {
        var detail = StepDetail.Read(reader.GetString(8));
        return new BacktestStep
        {
            Version = reader.GetString(0),
            Time = dialect.ReadTimestamp(reader, 1),
            DataTimestamp = reader.IsDBNull(2) ? null : dialect.ReadTimestamp(reader, 2),
            Outcome = RunOutcomes.Parse(reader.GetString(3)),
            Cost = Nullable(reader, 4),
            CostAtCurrent = Nullable(reader, 5),
            CostAtOperators = Nullable(reader, 6),
            Message = reader.IsDBNull(7) ? null : reader.GetString(7),
            Decisions = detail.Decisions,
            Predictions = detail.Predictions,
            Measured = detail.Measured,
            OperatorsNext = detail.OperatorsNext,
        };
    }
}
