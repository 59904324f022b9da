using System.Globalization;
using Microsoft.Data.Sqlite;
using ProcessOptimizer.Core.Cycle;
using SQLitePCL;

namespace ProcessOptimizer.Storage.Database;

/// <summary>
/// A window query prepared once on a SQLite connection kept open for it, and read through SQLite's own statement
/// interface straight into a window's arrays. A read then allocates nothing: through the driver, each read made a
/// connection, a command, its parameters and binder, a reader and its record, and encoded the query's text again to
/// prepare it (about 2.5 KB a cycle).
/// </summary>
/// <remarks>
/// <para>
/// One read at a time: <see cref="WindowQuery"/> rents it to one read and takes it back. The statement is reset after
/// every read, failed or not, so no read transaction stays open between reads: an open one would pin an old snapshot
/// of the data and hold back the log's checkpoint. A statement whose read failed is disposed and never used again.
/// </para>
/// <para>
/// Values are read as the driver read them: a real as it is, an integer converted, text parsed as a number in the
/// invariant culture (a malformed one fails the read), a blob refused.
/// </para>
/// </remarks>
internal sealed class SqliteWindowStatement : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly sqlite3_stmt _statement;
    private readonly int _at;
    private readonly string _table;

    private SqliteWindowStatement(SqliteConnection connection, sqlite3_stmt statement, int at, string table)
    {
        _connection = connection;
        _statement = statement;
        _at = at;
        _table = table;
    }

    /// <summary>Opens a connection of its own and prepares <paramref name="sql"/> (parameters <c>@at</c> and <c>@rows</c>) on it.</summary>
    /// <param name="table">The table read, named by failures.</param>
    /// <exception cref="SqliteException">The file cannot be opened or the query not prepared.</exception>
    public static SqliteWindowStatement Open(SqlDialect dialect, string table, string sql, int rows)
    {
        var connection = (SqliteConnection)dialect.CreateConnection();
        sqlite3_stmt? statement = null;
        try
        {
            connection.Open();
            var db = connection.Handle!;
            // The driver waits for a busy file in its own loop, up to its command timeout; here SQLite waits as long.
            Check(raw.sqlite3_busy_timeout(db, (int)Math.Min(int.MaxValue, connection.DefaultTimeout * 1000L)), db);
            Check(raw.sqlite3_prepare_v2(db, sql, out statement), db);
            Check(raw.sqlite3_bind_int64(statement, raw.sqlite3_bind_parameter_index(statement, "@rows"), rows), db);
            return new SqliteWindowStatement(connection, statement, raw.sqlite3_bind_parameter_index(statement, "@at"), table);
        }
        catch
        {
            statement?.Dispose();
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads the newest rows at or before <paramref name="at"/>, at most <paramref name="rows"/>, into
    /// <paramref name="window"/> from its end (row <c>rows - 1</c> is the newest), and returns how many it read.
    /// </summary>
    /// <exception cref="SqliteException">SQLite failed (a busy file past the timeout, a dropped column, an I/O error).</exception>
    /// <exception cref="InvalidCastException">A cell holds a blob.</exception>
    /// <exception cref="InvalidOperationException">Two rows read are stamped with the same time in different text forms.</exception>
    /// <remarks>A row whose timestamp is no time has no key, so no window reads it; the count of rows after now names it.</remarks>
    public int Fill(ProcessWindow window, DateTimeOffset at, int rows, int tags)
    {
        var db = _connection.Handle!;
        try
        {
            Check(raw.sqlite3_bind_int64(_statement, _at, SqliteDialect.Ticks(at)), db);
            var read = 0;
            var later = long.MinValue;
            while (read < rows)
            {
                var step = raw.sqlite3_step(_statement);
                if (step == raw.SQLITE_DONE)
                {
                    break;
                }

                Check(step, db);
                var row = rows - 1 - read;
                var ticks = raw.sqlite3_column_int64(_statement, 0);
                var time = new DateTimeOffset(DateTime.UnixEpoch.Ticks + ticks, TimeSpan.Zero);
                // The text key keeps one row per text, not per time: the same minute written by an import and by a
                // plant writer in its own form is two rows, with two values and no telling which is right.
                if (read > 0 && ticks == later)
                {
                    throw new InvalidOperationException($"{_table} has more than one row stamped {time:O}, in different text forms of that time: keep one of them");
                }

                later = ticks;
                window.SetTime(row, time);
                for (var t = 0; t < tags; t++)
                {
                    window.Set(row, t, Value(t + 1));
                }

                read++;
            }

            return read;
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    private double? Value(int column) => raw.sqlite3_column_type(_statement, column) switch
    {
        raw.SQLITE_NULL => null,
        raw.SQLITE_FLOAT => raw.sqlite3_column_double(_statement, column),
        raw.SQLITE_INTEGER => raw.sqlite3_column_int64(_statement, column),
        raw.SQLITE_TEXT => double.Parse(raw.sqlite3_column_text(_statement, column).utf8_to_string(), NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture),
        _ => throw new InvalidCastException($"the process-data column '{raw.sqlite3_column_name(_statement, column).utf8_to_string()}' holds a blob, not a number"),
    };

    private static void Check(int code, sqlite3 db) => SqliteException.ThrowExceptionForRC(code, db);

    public void Dispose()
    {
        _statement.Dispose();
        _connection.Dispose();
    }
}
