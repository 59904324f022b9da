using Npgsql;
using ProcessOptimizer.Storage.ObjectStores;

namespace ProcessOptimizer.Storage.Tests;

/// <summary>
/// One step of a test's set-up or clean-up on a real server (its start, a bucket, a database, a schema) within an
/// overall deadline. A server that accepts connections and never answers then fails the test with a message naming
/// the server, its address and the step, where it held the whole run until CI's own limit.
/// </summary>
internal static class ServerStep
{
    /// <summary>
    /// Generous for a loaded two-core machine: a step that answers takes seconds, and the drivers' own timeouts
    /// (the S3 client's per call, Npgsql's connect and command timeouts) end most silences sooner.
    /// </summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <exception cref="TimeoutException">The step did not end within the deadline.</exception>
    /// <exception cref="InvalidOperationException">The step failed; the server's error is the inner exception.</exception>
    public static async Task<T> RunAsync<T>(string server, string address, string step, Func<CancellationToken, Task<T>> call, TimeSpan? deadline = null)
    {
        var limit = deadline ?? Deadline;
        using var cancel = new CancellationTokenSource(limit);
        try
        {
            // WaitAsync ends the wait at the deadline even where the call does not heed its token.
            return await call(cancel.Token).WaitAsync(cancel.Token);
        }
        catch (Exception ex) when (cancel.IsCancellationRequested)
        {
            throw new TimeoutException($"{server} ({address}): no answer within {limit.TotalSeconds:0} s to {step}", ex);
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException($"{server} ({address}): {step} failed: {ex.Message}", ex);
        }
    }

    /// <inheritdoc cref="RunAsync{T}"/>
    public static Task RunAsync(string server, string address, string step, Func<CancellationToken, Task> call, TimeSpan? deadline = null) =>
        RunAsync(server, address, step, async cancellationToken =>
        {
            await call(cancellationToken);
            return true;
        }, deadline);

    /// <summary>Creates the store's bucket unless it exists.</summary>
    /// <inheritdoc cref="RunAsync{T}"/>
    public static Task EnsureBucketAsync(S3ObjectStore store, TimeSpan? deadline = null) =>
        RunAsync("S3 server", store.Description, "the bucket's creation", store.EnsureBucketAsync, deadline);

    /// <summary>Runs one statement on its own connection (CREATE DATABASE, DROP DATABASE).</summary>
    /// <inheritdoc cref="RunAsync{T}"/>
    public static Task ExecuteAsync(string connection, string sql, TimeSpan? deadline = null) =>
        RunAsync("PostgreSQL", Address(connection), sql, async cancellationToken =>
        {
            await using var admin = new NpgsqlConnection(connection);
            await admin.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand(sql, admin);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }, deadline);

    /// <summary>Where a connection string points, without its credentials.</summary>
    public static string Address(string connection)
    {
        var builder = new NpgsqlConnectionStringBuilder(connection);
        return $"{builder.Host}:{builder.Port}/{builder.Database}";
    }
}
