using System.Net;
using Npgsql;
using ProcessOptimizer.Tests.Service;

namespace ProcessOptimizer.Tests.Faults;

/// <summary>
/// Issue 14: the service logs in as a role that may read and write every table but owns none. With the schema
/// current it needs no schema change and is healthy; when a change is needed that the role may not make,
/// /health gives the database's own reason, not "not created yet".
/// </summary>
[Collection(ServiceHostCollection.Name)]
public sealed class DatabaseRoleTests
{
    [Fact]
    public async Task Database_RoleThatOwnsNoTable_IsHealthyOnACurrentSchemaAndNamesTheReasonWhenItCannotMigrate()
    {
        var role = new LeastPrivilegeRole();
        var service = ServiceAs(role);
        try
        {
            await service.InitializeAsync();
            var first = await service.LatestRunAsync();
            Assert.Equal("success", first.GetProperty("outcome").GetString());
            var answer = await FaultKit.OptimizeAsync(service.Client);
            Assert.True(answer.GetProperty("run_id").GetInt64() > 0, answer.ToString());

            var (status, health) = await FaultKit.HealthAsync(service.Client);
            Assert.True(status == HttpStatusCode.OK, health.ToString());
            Assert.Equal("healthy", health.GetProperty("database").GetProperty("status").GetString());
            Assert.Equal(System.Text.Json.JsonValueKind.Null, health.GetProperty("database").GetProperty("error").ValueKind);

            // The schema needs an index back, which only the tables' owner may create.
            await OwnerAsync(service, "DROP INDEX optimization_runs_data_key");

            await service.RestartAsync();
            System.Text.Json.JsonElement report = default;
            await FaultKit.WaitForAsync(
                async () => ((status, report) = await FaultKit.HealthAsync(service.Client)).report.GetProperty("database").GetProperty("error").GetString()?.Contains("must be owner", StringComparison.Ordinal) == true,
                TimeSpan.FromSeconds(15),
                "health naming the database's reason");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Contains("optimization_runs", report.GetProperty("database").GetProperty("error").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            await service.DisposeAsync();
            await role.DropAsync(service.Postgres);
        }
    }

    [Fact]
    public async Task Database_WritePrivilegeRevoked_IsUnhealthyWithTheDatabasesReasonAndStoresTheWaitingRunOnceGranted()
    {
        // The seventh fault round: with INSERT revoked, runs waited in the outbox while /health said the database was
        // healthy, with no reason anywhere.
        var role = new LeastPrivilegeRole();
        var service = ServiceAs(role);
        try
        {
            await service.InitializeAsync();
            await service.LatestRunAsync();
            var before = await FaultKit.RunsAsync(service.DatabaseConnection);
            await OwnerAsync(service, $"REVOKE INSERT ON optimization_recommendations FROM {role.Name}");

            var answer = await FaultKit.OptimizeAsync(service.Client);
            Assert.True(answer.GetProperty("run_pending").GetBoolean(), answer.ToString());
            var (status, health) = await FaultKit.HealthAsync(service.Client);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("unhealthy", health.GetProperty("database").GetProperty("status").GetString());
            Assert.Contains("permission denied", health.GetProperty("database").GetProperty("error").GetString(), StringComparison.Ordinal);

            await OwnerAsync(service, $"GRANT INSERT ON optimization_recommendations TO {role.Name}");
            await FaultKit.WaitForAsync(async () => (await FaultKit.HealthAsync(service.Client)).Body.GetProperty("data").GetProperty("pending_runs").GetInt32() == 0, TimeSpan.FromSeconds(30), "the outbox replay");
            await FaultKit.WaitForAsync(async () => (await FaultKit.HealthAsync(service.Client)).Body.GetProperty("database").GetProperty("status").GetString() == "healthy", TimeSpan.FromSeconds(10), "the database healthy again");
            FaultKit.AssertEachStoredOnce(await FaultKit.RunsAsync(service.DatabaseConnection), before[^1].Id, loop: 0, api: 1);
        }
        finally
        {
            await service.DisposeAsync();
            await role.DropAsync(service.Postgres);
        }
    }

    // The kiln's window imported, then the service logged in as a role that may read and write every table but owns none.
    private static ServiceFixture ServiceAs(LeastPrivilegeRole role) => new()
    {
        Seed = async connection =>
        {
            var newest = await ServiceFixture.ImportKilnWindowAsync(connection);
            await role.GrantAsync(connection);
            return newest;
        },
        ServiceConnection = role.As,
        Settings = ["--Database:BreakSeconds=1"],
    };

    private static async Task OwnerAsync(ServiceFixture service, string sql)
    {
        await using var owner = new NpgsqlConnection(service.DatabaseConnection);
        await owner.OpenAsync();
        await new NpgsqlCommand(sql, owner).ExecuteNonQueryAsync();
    }
}
