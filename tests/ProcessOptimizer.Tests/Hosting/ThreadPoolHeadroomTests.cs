using ProcessOptimizer.Hosting;

namespace ProcessOptimizer.Tests.Hosting;

/// <summary>
/// Issue 14 (<c>/health</c> not answering within a second after a PostgreSQL pause): each connection whose statement
/// Npgsql cancels on a stopped server holds a pool thread for the driver's connect timeout, and the pool's default
/// minimum, one thread per core, left the service's own work waiting for the pool to grow.
/// </summary>
public sealed class ThreadPoolHeadroomTests
{
    [Fact]
    public async Task Build_OnPostgres_MakesRoomInThePoolForEveryConnectionTheDriverMayHold()
    {
        // Larger than any pool another test asks for, so that the minimum can only come from this build.
        const int Connections = 97;
        var folder = Directory.CreateTempSubdirectory("po-headroom-").FullName;
        try
        {
            await using var app = ServiceHost.Build(
            [
                "--Urls=http://127.0.0.1:0", "--App:Mode=api", "--Demo:Replay=false", "--Database:Kind=postgres",
                "--Database:ConnectionString=" + TestServers.Postgres, "--Database:MaxPoolSize=" + Connections,
                "--Database:OutboxFolder=" + Path.Combine(folder, "outbox"),
            ]);

            ThreadPool.GetMinThreads(out var workers, out _);
            Assert.True(workers >= Environment.ProcessorCount + Connections, $"the pool's minimum is {workers} threads");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
