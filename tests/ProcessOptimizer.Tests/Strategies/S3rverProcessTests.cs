using ProcessOptimizer.Storage.ObjectStores;
using ProcessOptimizer.Storage.Tests;

namespace ProcessOptimizer.Tests.Strategies;

/// <summary>
/// An s3rver of a test's own that hangs fails the test with what hung, never holds the run: once, s3rver was up,
/// the bucket was never made, and the whole run sat 14 minutes in the S3 tests' set-up. The deadlines are short to
/// keep these tests quick; the set-ups use <see cref="ServerStep.Deadline"/>.
/// </summary>
public sealed class S3rverProcessTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    // Only keeps a wrong implementation from hanging the run; the failure itself is what is asserted.
    private static readonly TimeSpan Outer = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Start_ServerNeverListens_FailsNamingServerAddressAndStep()
    {
        var script = Path.Combine(Path.GetTempPath(), "po-never-listens-" + Guid.NewGuid().ToString("n") + ".js");
        await File.WriteAllTextAsync(script, "setInterval(() => {}, 1000);");
        try
        {
            using var server = new S3rverProcess(script);

            var error = await Assert.ThrowsAsync<TimeoutException>(() => server.StartAsync(Deadline).WaitAsync(Outer));

            Assert.Contains("s3rver", error.Message);
            Assert.Contains(server.Endpoint, error.Message);
            Assert.Contains("the first connection after its start", error.Message);
        }
        finally
        {
            File.Delete(script);
        }
    }

    [Fact]
    public async Task Start_ServerExitsBeforeListening_FailsWithWhatItWroteToStderr()
    {
        var script = Path.Combine(Path.GetTempPath(), "po-exits-" + Guid.NewGuid().ToString("n") + ".js");
        await File.WriteAllTextAsync(script, "console.error('no data folder here'); process.exit(3);");
        try
        {
            using var server = new S3rverProcess(script);

            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => server.StartAsync(Deadline).WaitAsync(Outer));

            Assert.Contains(server.Endpoint, error.Message);
            Assert.Contains("exited with code 3", error.Message);
            Assert.Contains("no data folder here", error.Message);
        }
        finally
        {
            File.Delete(script);
        }
    }

    [Fact]
    public async Task EnsureBucket_ServerPaused_FailsNamingServerAddressAndStep()
    {
        using var server = new S3rverProcess();
        await server.StartAsync();
        // The store's own call timeout is left long, so that the step's deadline is what ends the wait.
        using var store = new S3ObjectStore(new S3Settings { Endpoint = server.Endpoint, Bucket = "paused", AccessKey = "S3RVER", SecretKey = "S3RVER", TimeoutSeconds = 600 });
        server.Pause();
        try
        {
            var error = await Assert.ThrowsAsync<TimeoutException>(() => ServerStep.EnsureBucketAsync(store, Deadline).WaitAsync(Outer));

            Assert.Contains("S3 server", error.Message);
            Assert.Contains(server.Endpoint, error.Message);
            Assert.Contains("bucket's creation", error.Message);
        }
        finally
        {
            server.Resume();
        }
    }
}
