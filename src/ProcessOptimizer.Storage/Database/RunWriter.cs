using System.Data.Common;
using ProcessOptimizer.Core.Runs;

namespace ProcessOptimizer.Storage.Database;

/// <summary>
/// Stores groups of runs, each group in one transaction, on a connection that stays open between groups with the
/// run statements prepared on it, where the dialect allows it (<see cref="SqlDialect.KeepsWriter"/>).
/// </summary>
/// <remarks>
/// The kept connection is lent to one group at a time. A group that finds it lent opens another, and the one that
/// ends last closes its own: an attempt that the guard's timeout gave up on may still be running when the next one
/// starts, and a replay of the outbox may write beside the recorder. A group that fails closes its connection, so
/// the next one opens the file afresh (a file that was read-only, or replaced), and its statements roll its transaction
/// back before the connection goes (<see cref="RunStatements.DisposeAsync"/>). A run is acknowledged only after
/// its group's commit, exactly as on a connection opened for the group. Like a connection in the driver's pool, the
/// kept one stays open while the process runs.
/// </remarks>
internal sealed class RunWriter(SqlDialect dialect)
{
    private Connection? _idle;

    /// <returns>For each run, in order, its id and whether it was stored already (see <see cref="RunStatements.SaveAsync"/>).</returns>
    public async Task<IReadOnlyList<RunSave>> SaveAllAsync(IReadOnlyList<RunRecord> runs, CancellationToken cancellationToken)
    {
        var connection = Interlocked.Exchange(ref _idle, null) ?? await OpenAsync(cancellationToken).ConfigureAwait(false);
        var kept = false;
        try
        {
            var saves = new RunSave[runs.Count];
            await connection.Statements.BeginAsync(cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < runs.Count; i++)
            {
                saves[i] = await connection.Statements.SaveAsync(runs[i], cancellationToken).ConfigureAwait(false);
            }

            await connection.Statements.CommitAsync(cancellationToken).ConfigureAwait(false);
            kept = dialect.KeepsWriter && Interlocked.CompareExchange(ref _idle, connection, null) is null;
            return saves;
        }
        finally
        {
            if (!kept)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task<Connection> OpenAsync(CancellationToken cancellationToken)
    {
        var database = dialect.CreateConnection();
        try
        {
            await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await dialect.PrepareAsync(database, cancellationToken).ConfigureAwait(false);
            return new Connection(database, dialect.CreateRunStatements(database));
        }
        catch
        {
            // Not opened for anyone: closed here, and the failure goes on to the caller.
            await database.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private sealed class Connection(DbConnection database, RunStatements statements) : IAsyncDisposable
    {
        public DbConnection Database { get; } = database;

        public RunStatements Statements { get; } = statements;

        public async ValueTask DisposeAsync()
        {
            await Statements.DisposeAsync().ConfigureAwait(false);
            await Database.DisposeAsync().ConfigureAwait(false);
        }
    }
}
