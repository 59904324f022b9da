using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Runs;

namespace ProcessOptimizer.Storage.Database;

/// <summary>
/// What the dashboard reads over a time range: process data, runs with chosen recommendations, and run outcomes
/// counted. Reads only; the cycle's own window query stays in <see cref="SqlProcessDataSource"/>.
/// </summary>
public sealed class ProcessHistory(ProcessDatabase database)
{
    /// <summary>
    /// Rows of the strategy's data table <paramref name="table"/> in <c>[from, to]</c>, oldest first, with the tags
    /// that are columns; tags that are not columns (computed variables) are left out of every row.
    /// </summary>
    public Task<IReadOnlyList<ProcessRow>> RowsAsync(string table, IReadOnlyCollection<string> tags, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var dialect = database.Dialect;
        return database.RunAsync("read process history", async (connection, transaction, ct) =>
        {
            var columns = (await dialect.ColumnsAsync(connection, table, ct).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
            var present = tags.Where(columns.Contains).Distinct().ToList();
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            var key = dialect.TimeKey("timestamp");
            command.CommandText = $"SELECT {dialect.WindowTimeColumn("timestamp")}{string.Concat(present.Select(t => ", " + SqlDialect.Quote(t)))} FROM {SqlDialect.Quote(table)} WHERE {key} >= @from AND {key} <= @to ORDER BY {key}";
            ProcessDatabase.Parameter(command, "@from", dialect.From(from));
            ProcessDatabase.Parameter(command, "@to", dialect.UpTo(to));
            var rows = new List<ProcessRow>();
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var values = new Dictionary<string, double?>(present.Count, StringComparer.Ordinal);
                for (var i = 0; i < present.Count; i++)
                {
                    values[present[i]] = reader.IsDBNull(i + 1) ? null : Convert.ToDouble(reader.GetValue(i + 1), System.Globalization.CultureInfo.InvariantCulture);
                }

                rows.Add(new ProcessRow(dialect.ReadWindowTime(reader, 0), values));
            }

            return (IReadOnlyList<ProcessRow>)rows;
        }, cancellationToken);
    }

    /// <summary>
    /// Runs of <paramref name="strategyName"/> started in <c>[from, to]</c>, oldest first, each with its
    /// recommendations for <paramref name="variables"/> only.
    /// </summary>
    public Task<IReadOnlyList<RunRecord>> RunsAsync(string strategyName, IReadOnlyCollection<string> variables, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var dialect = database.Dialect;
        var wanted = variables.ToHashSet(StringComparer.Ordinal);
        return database.RunAsync("read run history", async (connection, transaction, ct) =>
        {
            var runs = new List<RunRecord>();
            var byId = new Dictionary<long, List<Recommendation>>();
            await using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = $"SELECT {SqlRunStore.Columns} FROM optimization_runs WHERE strategy_name = @name AND started_at >= @from AND started_at <= @to ORDER BY started_at, id";
                Bind(command, strategyName, from, to, dialect);
                await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    var run = SqlRunStore.Read(reader, dialect);
                    runs.Add(run with { Recommendations = byId[run.Id] = [] });
                }
            }

            if (wanted.Count == 0 || runs.Count == 0)
            {
                return (IReadOnlyList<RunRecord>)runs;
            }

            await using (var command = connection.CreateCommand())
            {
                // One pass over the range's recommendations; filtering the names here keeps the SQL free of a
                // variable-length IN list.
                command.Transaction = transaction;
                command.CommandText = "SELECT rec.run_id, rec.variable, rec.current_value, rec.recommended_value, rec.delta, rec.units FROM optimization_recommendations rec JOIN optimization_runs r ON r.id = rec.run_id WHERE r.strategy_name = @name AND r.started_at >= @from AND r.started_at <= @to";
                Bind(command, strategyName, from, to, dialect);
                await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    var variable = reader.GetString(1);
                    if (wanted.Contains(variable) && byId.TryGetValue(reader.GetInt64(0), out var list))
                    {
                        list.Add(new Recommendation(variable, reader.GetDouble(2), reader.GetDouble(3), reader.GetDouble(4), reader.GetString(5)));
                    }
                }
            }

            return runs;
        }, cancellationToken);
    }

    /// <summary>How many runs of <paramref name="strategyName"/> started in <c>[from, to]</c> ended with each outcome.</summary>
    public Task<IReadOnlyDictionary<RunOutcome, long>> OutcomesAsync(string strategyName, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var dialect = database.Dialect;
        return database.RunAsync("count run outcomes", async (connection, transaction, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SELECT outcome, count(*) FROM optimization_runs WHERE strategy_name = @name AND started_at >= @from AND started_at <= @to GROUP BY outcome";
            Bind(command, strategyName, from, to, dialect);
            var counts = new Dictionary<RunOutcome, long>();
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                counts[RunOutcomes.Parse(reader.GetString(0))] = reader.GetInt64(1);
            }

            return (IReadOnlyDictionary<RunOutcome, long>)counts;
        }, cancellationToken);
    }

    /// <summary>The newest row's time in the data table <paramref name="table"/>; null when the table is empty.</summary>
    public Task<DateTimeOffset?> NewestRowAsync(string table, CancellationToken cancellationToken) => NewestRowAsync(table, null, cancellationToken);

    /// <summary>
    /// The newest row's time in <paramref name="table"/> at or before <paramref name="atOrBefore"/> (the row a cycle then
    /// reads as its newest), or in the whole table when it is null; null when there is no such row.
    /// </summary>
    public Task<DateTimeOffset?> NewestRowAsync(string table, DateTimeOffset? atOrBefore, CancellationToken cancellationToken)
    {
        var dialect = database.Dialect;
        return database.RunAsync("read the newest data time", async (connection, transaction, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            var key = dialect.TimeKey("timestamp");
            // A row whose timestamp is no time is in no window: not the newest either.
            var where = $"WHERE {key} IS NOT NULL ";
            if (atOrBefore is { } at)
            {
                where = $"WHERE {key} <= @at ";
                ProcessDatabase.Parameter(command, "@at", dialect.UpTo(at));
            }

            command.CommandText = $"SELECT {dialect.WindowTimeColumn("timestamp")} FROM {SqlDialect.Quote(table)} {where}ORDER BY {key} DESC LIMIT 1";
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            return await reader.ReadAsync(ct).ConfigureAwait(false) ? dialect.ReadWindowTime(reader, 0) : (DateTimeOffset?)null;
        }, cancellationToken);
    }

    private static void Bind(System.Data.Common.DbCommand command, string strategyName, DateTimeOffset from, DateTimeOffset to, SqlDialect dialect)
    {
        ProcessDatabase.Parameter(command, "@name", strategyName);
        ProcessDatabase.Parameter(command, "@from", dialect.Timestamp(from));
        ProcessDatabase.Parameter(command, "@to", dialect.Timestamp(to));
    }
}
