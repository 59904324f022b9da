using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ProcessOptimizer.Solver.Ipopt;
using ProcessOptimizer.Tests.Service;

namespace ProcessOptimizer.Tests.Faults;

/// <summary>
/// A machine where IPOPT is not installed: the service starts, and health, the API and the loop's runs say why
/// nothing is solved. Seen on a fresh machine, where health said healthy and every /optimize answered a 500
/// with a <c>DllNotFoundException</c>.
/// </summary>
/// <remarks>
/// Only the library check is pointed at a name that does not exist (<see cref="IpoptLibrary"/>): the library
/// itself stays installed for the other tests, and every solver entry point asks the check before calling it.
/// </remarks>
[Collection(ServiceHostCollection.Name)]
public sealed class MissingSolverLibraryTests
{
    internal const string Absent = "libipopt-absent.so.1";

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task Service_WithoutTheSolverLibrary_IsUnhealthyAnswers503AndRecordsAnErrorRunNamingIt(int workers)
    {
        var service = new ServiceFixture { Settings = [$"--Solver:Workers={workers}"], Services = s => s.AddSingleton(new IpoptLibrary(Absent)) };
        try
        {
            await service.InitializeAsync();
            var run = await service.LatestRunAsync();
            using var response = await service.Client.PostAsJsonAsync("/optimize", FaultKit.KilnRequest());
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            var (status, health) = await FaultKit.HealthAsync(service.Client);

            Assert.Equal("error", run.GetProperty("outcome").GetString());
            Assert.Contains(Absent, run.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("The solver is not available", problem.GetProperty("title").GetString());
            Assert.Contains(Absent, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", problem.ToString(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("unhealthy", health.GetProperty("solver").GetProperty("status").GetString());
            Assert.Contains(Absent, health.GetProperty("solver").GetProperty("error").GetString(), StringComparison.Ordinal);
            if (workers > 0)
            {
                // Nothing reached a worker, so none died of it and none was replaced.
                var pool = health.GetProperty("workers");
                Assert.Equal(workers, pool.GetProperty("alive").GetInt32());
                Assert.All(pool.GetProperty("restarts").EnumerateObject(), r => Assert.Equal(0, r.Value.GetInt64()));
            }
            else
            {
                Assert.Equal(JsonValueKind.Null, health.GetProperty("workers").ValueKind);
            }
        }
        finally
        {
            await service.DisposeAsync();
        }
    }
}
