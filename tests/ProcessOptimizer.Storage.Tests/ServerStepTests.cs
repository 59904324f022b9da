using ProcessOptimizer.Core.Storage;
using ProcessOptimizer.Storage.ObjectStores;

namespace ProcessOptimizer.Storage.Tests;

/// <summary>
/// A test server that accepts connections and never answers fails the set-up step talking to it, with a message
/// naming the server, its address and the step, instead of holding the test run (once, 14 minutes in a bucket's
/// creation). The deadlines are short so that these tests stay quick; the set-ups use <see cref="ServerStep.Deadline"/>.
/// </summary>
public sealed class ServerStepTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    // Only keeps a wrong implementation from hanging the run; the failure itself is what is asserted.
    private static readonly TimeSpan Outer = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task EnsureBucket_ServerAcceptsAndNeverAnswers_FailsNamingServerAddressAndStep()
    {
        using var silent = new SilentServer();
        var endpoint = $"http://127.0.0.1:{silent.Port}";
        // The store's own call timeout is left long, so that the step's deadline is what ends the wait.
        using var store = new S3ObjectStore(new S3Settings { Endpoint = endpoint, Bucket = "never", AccessKey = "S3RVER", SecretKey = "S3RVER", TimeoutSeconds = 600 });

        var error = await Assert.ThrowsAsync<TimeoutException>(() => ServerStep.EnsureBucketAsync(store, Deadline).WaitAsync(Outer));

        Assert.Contains("S3 server", error.Message);
        Assert.Contains(endpoint, error.Message);
        Assert.Contains("bucket's creation", error.Message);
    }

    [Fact]
    public async Task EnsureBucket_ServerAcceptsAndNeverAnswers_StoresCallTimeoutEndsItFirstAndIsNamed()
    {
        using var silent = new SilentServer();
        var endpoint = $"http://127.0.0.1:{silent.Port}";
        using var store = new S3ObjectStore(new S3Settings { Endpoint = endpoint, Bucket = "never", AccessKey = "S3RVER", SecretKey = "S3RVER", TimeoutSeconds = 1 });

        // The S3 client's own timeout (from the store's settings) gives up on the silent server well before the step's deadline.
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerStep.EnsureBucketAsync(store, TimeSpan.FromSeconds(60)).WaitAsync(Outer));

        Assert.IsType<StorageException>(error.InnerException);
        Assert.Contains(endpoint, error.Message);
        Assert.Contains("bucket's creation", error.Message);
        Assert.Contains("unreachable", error.Message);
    }

    [Fact]
    public async Task Execute_PostgresAcceptsAndNeverAnswers_FailsNamingServerAddressAndStep()
    {
        using var silent = new SilentServer();
        // Npgsql's own connect timeout is left long, so that the step's deadline is what ends the wait.
        var connection = $"Host=127.0.0.1;Port={silent.Port};Username=postgres;Database=postgres;Timeout=600";

        var error = await Assert.ThrowsAsync<TimeoutException>(() => ServerStep.ExecuteAsync(connection, "CREATE DATABASE never", Deadline).WaitAsync(Outer));

        Assert.Contains("PostgreSQL", error.Message);
        Assert.Contains($"127.0.0.1:{silent.Port}", error.Message);
        Assert.Contains("CREATE DATABASE never", error.Message);
    }

    [Fact]
    public async Task Execute_PostgresAcceptsAndNeverAnswers_DriversConnectTimeoutEndsItFirstAndIsNamed()
    {
        using var silent = new SilentServer();
        var connection = $"Host=127.0.0.1;Port={silent.Port};Username=postgres;Database=postgres;Timeout=1";

        // Npgsql's connect timeout covers the start-up handshake, which the silent server never answers.
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerStep.ExecuteAsync(connection, "CREATE DATABASE never", TimeSpan.FromSeconds(60)).WaitAsync(Outer));

        Assert.IsType<Npgsql.NpgsqlException>(error.InnerException);
        Assert.Contains($"127.0.0.1:{silent.Port}", error.Message);
        Assert.Contains("CREATE DATABASE never", error.Message);
    }
}
