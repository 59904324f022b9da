using System.Net;
using Npgsql;
using ProcessOptimizer.Tests.Service;

namespace ProcessOptimizer.Tests.Faults;

/// <summary>Issue 14: the service starts while its database is down, reports why, and comes up by itself when the database does.</summary>
[Collection(ServiceHostCollection.Name)]
public sealed class StartupFaultTests
{
    [Fact]
    public async Task Start_WithoutTheDatabase_ReportsUnhealthyAndRecoversWhenItComes()
    {
        await using var cluster = await PostgresCluster.StartAsync();
        var service = new ServiceFixture
        {
            Postgres = cluster.Connection,
            Settings = ["--Database:TimeoutSeconds=1", "--Database:BreakSeconds=2", "--Optimization:IntervalSeconds=60"],
            Seed = async connection =>
            {
                var newest = await ServiceFixture.ImportKilnWindowAsync(connection);
                NpgsqlConnection.ClearAllPools();
                await cluster.StopServerAsync();
                return newest;
            },
        };
        try
        {
            await service.InitializeAsync();

            // The service is up without its database and says why, within a probe.
            var health = (await FaultKit.HealthAsync(service.Client)).Body;
            await FaultKit.WaitForAsync(
                async () => (health = (await FaultKit.HealthAsync(service.Client)).Body).GetProperty("database").GetProperty("status").GetString() == "unhealthy",
                TimeSpan.FromSeconds(15),
                "the database reported down");
            var (status, _) = await FaultKit.HealthAsync(service.Client);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("unhealthy", health.GetProperty("status").GetString());
            Assert.False(string.IsNullOrEmpty(health.GetProperty("database").GetProperty("error").GetString()));

            await cluster.StartServerAsync();
            await FaultKit.WaitForAsync(async () => (await FaultKit.HealthAsync(service.Client)).Body.GetProperty("database").GetProperty("status").GetString() == "healthy", TimeSpan.FromSeconds(30), "the database's recovery");
            service.Clock.Advance(TimeSpan.FromSeconds(60));
            NpgsqlConnection.ClearAllPools();
            await FaultKit.WaitForAsync(async () => (await FaultKit.RunsAsync(service.DatabaseConnection)).Any(r => r.Strategy == "process-optimization" && r.Outcome == "success"), TimeSpan.FromSeconds(30), "a successful cycle");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}; running: {cluster.IsRunning}; health: {(await FaultKit.HealthAsync(service.Client)).Body}", ex);
        }
        finally
        {
            if (!cluster.IsRunning)
            {
                await cluster.StartServerAsync();
            }

            await service.DisposeAsync();
        }
    }
}
