using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using ProcessOptimizer.Core.Data;
using ProcessOptimizer.Core.Runs;
using SQLitePCL;

namespace ProcessOptimizer.Storage.Database;

/// <summary>
/// The run statements on a kept SQLite connection, prepared once and driven through SQLite's own statement interface:
/// values bound by position, stepped, reset. Through the driver every execution bound its parameters by name (180 a
/// kiln run), made a reader, and parsed <c>BEGIN</c> and <c>COMMIT</c> again for every group.
/// </summary>
/// <remarks>
/// Values are stored as the driver stored them: text as UTF-8 with a NUL as U+FFFD (<see cref="ProcessDatabase.Stored"/>),
/// an empty text as empty, doubles as SQLite reals (infinities too), and a NaN refused, as the driver refused it, where
/// SQLite would store NULL: as data the database never takes (<see cref="SqlDialect.RefusesTheData"/>). Every statement
/// is reset after each use, so none holds a lock or a snapshot between groups. SQLite prepares a statement again by itself when the schema changed.
/// </remarks>
internal sealed class SqliteRunStatements : RunStatements
{
    private static readonly string[] Sql =
    [
        "BEGIN IMMEDIATE",
        "COMMIT",
        "ROLLBACK",
        FindSql,
        $"INSERT INTO optimization_runs ({RunColumns}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16) ON CONFLICT DO NOTHING RETURNING id",
        $"INSERT INTO optimization_recommendations ({RecommendationColumns}) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    ];

    private readonly SqliteConnection _connection;
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt[] _statements;
    private byte[] _text = new byte[256];

    private SqliteRunStatements(SqliteConnection connection, sqlite3_stmt[] statements)
    {
        _connection = connection;
        _db = connection.Handle!;
        _statements = statements;
    }

    private sqlite3_stmt Begin => _statements[0];

    private sqlite3_stmt Commit => _statements[1];

    private sqlite3_stmt Rollback => _statements[2];

    private sqlite3_stmt Find => _statements[3];

    private sqlite3_stmt Insert => _statements[4];

    private sqlite3_stmt Recommend => _statements[5];

    /// <summary>Prepares the statements on <paramref name="connection"/>, open, which they use until disposed.</summary>
    /// <exception cref="SqliteException">A statement cannot be prepared (a table is missing).</exception>
    public static SqliteRunStatements Prepare(SqliteConnection connection)
    {
        var db = connection.Handle!;
        // The driver waits for a busy file in its own loop, up to its command timeout; here SQLite waits as long.
        Check(raw.sqlite3_busy_timeout(db, (int)Math.Min(int.MaxValue, connection.DefaultTimeout * 1000L)), db);
        var prepared = new List<sqlite3_stmt>(Sql.Length);
        try
        {
            foreach (var sql in Sql)
            {
                Check(raw.sqlite3_prepare_v2(db, sql, out var statement), db);
                prepared.Add(statement);
            }

            return new SqliteRunStatements(connection, [.. prepared]);
        }
        catch
        {
            prepared.ForEach(s => s.Dispose());
            throw;
        }
    }

    public override ValueTask BeginAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Step(Begin);
        return ValueTask.CompletedTask;
    }

    public override ValueTask<RunSave> SaveAsync(RunRecord run, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Look(run) is { } existing)
        {
            return ValueTask.FromResult(new RunSave(existing, true));
        }

        var insert = Insert;
        Text(insert, 1, run.StrategyName);
        Text(insert, 2, run.StrategyVersion);
        Text(insert, 3, ModelVersions(run));
        Time(insert, 4, run.DataTimestamp);
        Time(insert, 5, run.StartedAt);
        Time(insert, 6, run.FinishedAt);
        Real(insert, 7, run.DurationMs, "duration_ms");
        Text(insert, 8, run.Outcome.Name());
        Text(insert, 9, run.SolverStatus);
        Check(run.Iterations is { } iterations ? raw.sqlite3_bind_int64(insert, 10, iterations) : raw.sqlite3_bind_null(insert, 10), _db);
        Real(insert, 11, Cost(run), "cost");
        Text(insert, 12, run.Message);
        Text(insert, 13, run.Key);
        Text(insert, 14, run.Node);
        Text(insert, 15, run.DataKey);
        Text(insert, 16, MessageItems(run));
        if (Step(insert) is not { } id)
        {
            return ValueTask.FromResult(new RunSave(Look(run) ?? 0, true));
        }

        var recommend = Recommend;
        Check(raw.sqlite3_bind_int64(recommend, 1, id), _db);
        foreach (var item in run.Recommendations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Text(recommend, 2, item.Variable);
            Real(recommend, 3, item.Current, "current_value", item.Variable);
            Real(recommend, 4, item.Recommended, "recommended_value", item.Variable);
            Real(recommend, 5, item.Delta, "delta", item.Variable);
            Text(recommend, 6, item.Units);
            Step(recommend);
        }

        // Bound values stay with a statement until bound again: a long message is not kept alive between groups.
        raw.sqlite3_clear_bindings(insert);
        raw.sqlite3_clear_bindings(recommend);
        return ValueTask.FromResult(new RunSave(id, false));
    }

    public override ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Step(Commit);
        return ValueTask.CompletedTask;
    }

    public override ValueTask DisposeAsync()
    {
        // A group that failed part-way: the connection may go back to the driver's pool, which must not get it inside
        // the group's transaction. Should the rollback fail too, the pool drops the connection when it is closed, and
        // closing it rolls back; the group's own failure is what the caller hears of.
        if (raw.sqlite3_get_autocommit(_db) == 0)
        {
            raw.sqlite3_step(Rollback);
            raw.sqlite3_reset(Rollback);
            if (raw.sqlite3_get_autocommit(_db) == 0)
            {
                SqliteConnection.ClearPool(_connection);
            }
        }

        foreach (var statement in _statements)
        {
            statement.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private long? Look(RunRecord run)
    {
        if (run.Key is null && run.DataKey is null)
        {
            return null;
        }

        Text(Find, 1, run.Key);
        Text(Find, 2, run.DataKey);
        return Step(Find);
    }

    // Runs the statement to its end and resets it, failed or not; the first column of its first row, if it has one.
    private long? Step(sqlite3_stmt statement)
    {
        try
        {
            var code = raw.sqlite3_step(statement);
            long? first = null;
            if (code == raw.SQLITE_ROW)
            {
                first = raw.sqlite3_column_int64(statement, 0);
                while (code == raw.SQLITE_ROW)
                {
                    code = raw.sqlite3_step(statement);
                }
            }

            Check(code, _db);
            return first;
        }
        finally
        {
            raw.sqlite3_reset(statement);
        }
    }

    private void Text(sqlite3_stmt statement, int index, string? value)
    {
        if (value is null)
        {
            Check(raw.sqlite3_bind_null(statement, index), _db);
            return;
        }

        if (value.Length == 0)
        {
            // An empty span would be bound from a null pointer, which SQLite takes for NULL.
            Check(raw.sqlite3_bind_text(statement, index, ""), _db);
            return;
        }

        var text = (string)ProcessDatabase.Stored(value);
        var most = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (_text.Length < most)
        {
            _text = new byte[Math.Max(most, 2 * _text.Length)];
        }

        // SQLite copies the text while binding it, so the buffer serves the next value at once.
        Check(raw.sqlite3_bind_text(statement, index, _text.AsSpan(0, Encoding.UTF8.GetBytes(text, _text))), _db);
    }

    private void Time(sqlite3_stmt statement, int index, DateTimeOffset? value)
    {
        if (value is not { } time)
        {
            Check(raw.sqlite3_bind_null(statement, index), _db);
            return;
        }

        Span<byte> text = stackalloc byte[SqliteDialect.Format.Length + 8];
        DataTime.Whole(time.UtcDateTime).TryFormat(text, out var length, SqliteDialect.Format, CultureInfo.InvariantCulture);
        Check(raw.sqlite3_bind_text(statement, index, text[..length]), _db);
    }

    // The column and the recommendation's variable name the value refused, for the log that sets the run aside.
    private void Real(sqlite3_stmt statement, int index, double? value, string column, string? variable = null)
    {
        if (value is not { } real)
        {
            Check(raw.sqlite3_bind_null(statement, index), _db);
            return;
        }

        if (double.IsNaN(real))
        {
            // A datatype mismatch, as SQLite names a value its column cannot hold: the run is refused for good. The
            // driver's InvalidOperationException it replaces said nothing of the data, and such a run stayed first
            // in the outbox, holding back every run after it.
            throw new SqliteException($"{column}{(variable is null ? "" : $" of recommendation '{variable}'")} is NaN, which SQLite cannot store (it would store NULL)", SqliteMismatch);
        }

        Check(raw.sqlite3_bind_double(statement, index, real), _db);
    }

    private const int SqliteMismatch = 20;

    // Primary codes, as the driver reports them: the dialect tells failures apart by these.
    private static void Check(int code, sqlite3 db) => SqliteException.ThrowExceptionForRC(code & 0xFF, db);
}
