using System.Diagnostics;
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
            AwaitsDatabase = false,
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

    /// <summary>
    /// The fifth fault round (7a): restarted while PostgreSQL hung (SIGSTOP), the service listened only after about 52 s,
    /// its start waiting on the database's timeouts. It must listen at once, say within a second in /health that the
    /// database is why, make its schema once the database answers, and only then begin its cycles (no `error` run
    /// for the hang).
    /// </summary>
    [Fact]
    public async Task Start_WhileTheDatabaseHangs_ListensAtOnceAndBeginsCyclesWhenItAnswers()
    {
        await using var cluster = await PostgresCluster.StartAsync();
        var hung = new Stopwatch();
        var service = new ServiceFixture
        {
            Postgres = cluster.Connection,
            AwaitsDatabase = false,
            // A timeout far longer than a start takes: a start that waited for one database call would show it.
            Settings = ["--Database:TimeoutSeconds=10", "--Solver:Workers=0", "--Optimization:IntervalSeconds=60"],
            Seed = async connection =>
            {
                var newest = await ServiceFixture.ImportKilnWindowAsync(connection);
                NpgsqlConnection.ClearAllPools();
                cluster.Pause();
                hung.Start();
                return newest;
            },
        };
        try
        {
            // The fixture uploads the store, starts the host and asks /health once.
            await service.InitializeAsync();
            var listening = hung.Elapsed;
            Assert.True(listening < TimeSpan.FromSeconds(8), $"the service answered only {listening.TotalSeconds:F1} s after a start with the database hung");

            var (status, health) = await FaultKit.HealthAsync(service.Client);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("unhealthy", health.GetProperty("database").GetProperty("status").GetString());
            Assert.False(string.IsNullOrEmpty(health.GetProperty("database").GetProperty("error").GetString()), health.ToString());

            // Nothing begins a cycle while the schema is not there; it begins once the database answers.
            await Task.Delay(TimeSpan.FromSeconds(2));
            cluster.Resume();
            NpgsqlConnection.ClearAllPools();
            await FaultKit.WaitForAsync(async () => (await FaultKit.HealthAsync(service.Client)).Body.GetProperty("database").GetProperty("status").GetString() == "healthy", TimeSpan.FromSeconds(30), "the database's set-up after the hang");
            await FaultKit.WaitForAsync(async () => (await FaultKit.RunsAsync(service.DatabaseConnection)).Any(r => r.Strategy == "process-optimization"), TimeSpan.FromSeconds(30), "the first cycle");
            var runs = await FaultKit.RunsAsync(service.DatabaseConnection);
            Assert.Equal("success", runs.First(r => r.Strategy == "process-optimization").Outcome);
            Assert.DoesNotContain(runs, r => r.Outcome == "error");
        }
        finally
        {
            cluster.Resume();
            await service.DisposeAsync();
        }
    }
}
