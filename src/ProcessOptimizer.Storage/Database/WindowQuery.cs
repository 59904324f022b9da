using System.Collections.Concurrent;
using System.Data.Common;
using ProcessOptimizer.Core.Cycle;

namespace ProcessOptimizer.Storage.Database;

/// <summary>
/// The window read of one data source for one list of tags and one length: the SQL written once, and windows whose
/// arrays are filled again at every read. A cycle's read then allocates neither rows nor strings nor arrays.
/// </summary>
/// <remarks>
/// <para>
/// On PostgreSQL each read takes a connection from the driver's pool and gives it back at once: a connection kept open
/// per strategy would hold a place in that pool (10 by default) that the runs' writes and the other strategies wait
/// for. SQLite has no such limit, so there the query is prepared once on connections of its own
/// (<see cref="SqliteWindowStatement"/>), each rented by one read at a time; a few are kept, a failed one is dropped.
/// </para>
/// <para>
/// Windows are rented until their reader disposes them and given back, so two cycles reading at once never share
/// one; only a few are kept, more at once are made and dropped. <see cref="Dispose"/> closes the kept connections.
/// </para>
/// </remarks>
internal sealed class WindowQuery(ProcessDatabase database, string table, IReadOnlyList<string> tags, int rows) : IDisposable
{
    private const int Kept = 4;

    private readonly string[] _tags = [.. tags];
    private readonly string _table = table;
    private readonly string _sql = Sql(database.Dialect, table, tags);

    private readonly object _limit = Math.Max(1, rows);
    private readonly ConcurrentQueue<ProcessWindow> _windows = new();
    private readonly ConcurrentQueue<SqliteWindowStatement> _statements = new();
    private Func<DateTimeOffset, CancellationToken, ValueTask<ProcessWindow>>? _read;
    private volatile bool _disposed;

    /// <summary>The window's query: the newest rows at or before <c>@at</c> by their time, at most <c>@rows</c>, newest first.</summary>
    internal static string Sql(SqlDialect dialect, string table, IReadOnlyList<string> tags)
    {
        var key = dialect.TimeKey("timestamp");
        return $"SELECT {dialect.WindowTimeColumn("timestamp")}{string.Concat(tags.Select(t => ", " + SqlDialect.Quote(t)))} FROM {SqlDialect.Quote(table)} "
            + $"WHERE {key} <= @at ORDER BY {key} DESC LIMIT @rows";
    }

    /// <summary>How many rows a window holds at most: the newest and those before it.</summary>
    public int Rows { get; } = Math.Max(1, rows);

    /// <summary>Whether this query reads exactly <paramref name="others"/>, in that order.</summary>
    public bool Reads(IReadOnlyList<string> others, int length)
    {
        if (Math.Max(1, length) != Rows || others.Count != _tags.Length)
        {
            return false;
        }

        for (var i = 0; i < _tags.Length; i++)
        {
            if (!string.Equals(others[i], _tags[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><see cref="ReadAsync"/> as one delegate made once, for the guard that runs every read.</summary>
    public Func<DateTimeOffset, CancellationToken, ValueTask<ProcessWindow>> Read => _read ??= database.Dialect is SqliteDialect
        ? ReadStatement
        : (at, ct) => new ValueTask<ProcessWindow>(ReadAsync(at, ct));

    // SQLite's read is synchronous through the driver too: the call's timeout cannot cut it short either way, and the
    // file's busy timeout bounds it (SqliteDialect).
    private ValueTask<ProcessWindow> ReadStatement(DateTimeOffset at, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var window = RentWindow();
        SqliteWindowStatement? statement = null;
        try
        {
            statement = _statements.TryDequeue(out var kept) ? kept : SqliteWindowStatement.Open(database.Dialect, _table, _sql, Rows);
            window.Resize(Rows);
            window.KeepLast(statement.Fill(window, at, Rows, _tags.Length));
            ReturnStatement(statement);
            return new ValueTask<ProcessWindow>(window);
        }
        catch
        {
            statement?.Dispose();
            window.Dispose();
            throw;
        }
    }

    /// <summary>Reads the window at <paramref name="at"/> into a rented window, which the caller disposes.</summary>
    /// <exception cref="DbException">The database failed.</exception>
    public async Task<ProcessWindow> ReadAsync(DateTimeOffset at, CancellationToken cancellationToken)
    {
        var window = RentWindow();
        try
        {
            await using var prepared = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await FillAsync(prepared, window, at, cancellationToken).ConfigureAwait(false);
            return window;
        }
        catch
        {
            window.Dispose();
            throw;
        }
    }

    // Newest first from the database, written from the window's end so that it reads oldest first.
    private async Task FillAsync(Prepared prepared, ProcessWindow window, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var dialect = database.Dialect;
        prepared.At.Value = dialect.UpTo(at);
        window.Resize(Rows);
        var read = 0;
        await using (var reader = await prepared.Command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (read < Rows && await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var row = Rows - 1 - read;
                window.SetTime(row, dialect.ReadWindowTime(reader, 0));
                for (var t = 0; t < _tags.Length; t++)
                {
                    window.Set(row, t, reader.IsDBNull(t + 1) ? null : SqlDialect.ReadValue(reader, t + 1));
                }

                read++;
            }
        }

        window.KeepLast(read);
    }

    private async Task<Prepared> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = database.Dialect.CreateConnection();
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await database.Dialect.PrepareReadAsync(connection, cancellationToken).ConfigureAwait(false);
            var command = connection.CreateCommand();
            command.CommandText = _sql;
            var at = ProcessDatabase.Parameter(command, "@at", database.Dialect.Timestamp(DateTimeOffset.UnixEpoch));
            ProcessDatabase.Parameter(command, "@rows", _limit);
            await command.PrepareAsync(cancellationToken).ConfigureAwait(false);
            return new Prepared(connection, command, at);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private void ReturnStatement(SqliteWindowStatement statement)
    {
        if (_disposed || _statements.Count >= Kept)
        {
            statement.Dispose();
            return;
        }

        _statements.Enqueue(statement);
        // Disposed meanwhile: what it would have closed may include this one.
        if (_disposed)
        {
            Dispose();
        }
    }

    /// <summary>Closes the kept SQLite connections; a read under way closes its own when it ends.</summary>
    public void Dispose()
    {
        _disposed = true;
        while (_statements.TryDequeue(out var statement))
        {
            statement.Dispose();
        }
    }

    private ProcessWindow RentWindow()
    {
        var window = _windows.TryDequeue(out var kept) ? kept : new ProcessWindow(_tags, Rows, ReturnWindow);
        window.Rent();
        return window;
    }

    private void ReturnWindow(ProcessWindow window)
    {
        if (_windows.Count < Kept)
        {
            _windows.Enqueue(window);
        }
    }

    /// <summary>An open connection with the window's query prepared on it (the driver keeps the preparation with the pooled connection).</summary>
    private sealed record Prepared(DbConnection Connection, DbCommand Command, DbParameter At) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Command.DisposeAsync().ConfigureAwait(false);
            await Connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
