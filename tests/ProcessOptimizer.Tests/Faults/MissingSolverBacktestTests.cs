using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using ProcessOptimizer.Cli;
using ProcessOptimizer.Hosting;
using ProcessOptimizer.Solver.Ipopt;
using ProcessOptimizer.Storage.Database;
using ProcessOptimizer.Tests.Backtests;

namespace ProcessOptimizer.Tests.Faults;

/// <summary>
/// A backtest asked for on a machine without IPOPT is refused before anything is stored, with the reason. Before,
/// it was stored as running and then failed, in the API, and the command line ended in a stack trace.
/// </summary>
public sealed class MissingSolverBacktestTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task StartBacktest_WithoutTheSolverLibrary_Answers503NamingItAndStoresNothing(int workers)
    {
        using var kiln = new KilnBacktest();
        await using var app = await StartWithoutTheLibraryAsync(kiln, workers);
        using var client = Client(app);

        using var response = await client.PostAsJsonAsync("/strategies/process-optimization/backtests", new { from = "2026-01-02T00:00:00Z", to = "2026-01-02T01:00:00Z", step = "5m" });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("The solver is not available", problem.GetProperty("title").GetString());
        Assert.Contains(MissingSolverLibraryTests.Absent, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", problem.ToString(), StringComparison.Ordinal);
        Assert.Null(await new SqlBacktestStore(ProcessDatabase.Create(DatabaseKind.Sqlite, kiln.ConnectionString)).GetAsync(1, CancellationToken.None));
        await app.StopAsync();
    }

    [Fact]
    public async Task Start_DeployedVersionWithSolverOptions_StartsAndNamesTheOptionThatCannotBeCheckedWithoutTheLibrary()
    {
        // Checking a version's solver options needs the library: before, that check's failure stopped the start.
        using var kiln = new KilnBacktest();
        kiln.AddVersion("1.0.1", text => text.Replace("      cost_skill_name: cs_kpi_calculation_flow", "      cost_skill_name: cs_kpi_calculation_flow\n      solver_options: {max_cpu_time: 5}", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(kiln.Store, "process-optimization-strategy-config.yaml"), "process-optimization-strategy-config.yaml: 1.0.1\n");

        await using var app = await StartWithoutTheLibraryAsync(kiln, workers: 0);
        using var client = Client(app);
        // The first answers of a host just started: the one-second health limit is not what is tested here.
        using var answer = await client.GetAsync("/health");
        var (status, health) = (answer.StatusCode, await answer.Content.ReadFromJsonAsync<JsonElement>());
        using var response = await client.PostAsJsonAsync("/optimize", FaultKit.KilnRequest());
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains(MissingSolverLibraryTests.Absent, health.GetProperty("solver").GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, health.GetProperty("strategy").GetProperty("deployed_version").ValueKind);
        Assert.Contains(MissingSolverLibraryTests.Absent, health.GetProperty("strategy").GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("solver_options: cannot be checked", health.GetProperty("strategy").GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains(MissingSolverLibraryTests.Absent, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await app.StopAsync();
    }

    [Fact]
    public async Task BacktestCommand_WithoutTheSolverLibrary_FailsWithOneLineNamingItAndStoresNothing()
    {
        using var kiln = new KilnBacktest();
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await CommandDispatcher.RunAsync(
            kiln.Arguments(0, "--from", "2026-01-02T00:00:00Z", "--to", "2026-01-02T01:00:00Z"), output, error, new IpoptLibrary(MissingSolverLibraryTests.Absent));

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Equal("", output.ToString());
        var line = Assert.Single(error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(MissingSolverLibraryTests.Absent, line, StringComparison.Ordinal);
        Assert.Null(await new SqlBacktestStore(ProcessDatabase.Create(DatabaseKind.Sqlite, kiln.ConnectionString)).GetAsync(1, CancellationToken.None));
    }

    private static async Task<WebApplication> StartWithoutTheLibraryAsync(KilnBacktest kiln, int workers)
    {
        var app = ServiceHost.Build(kiln.ServiceArguments(workers), builder => builder.Services.AddSingleton(new IpoptLibrary(MissingSolverLibraryTests.Absent)));
        await ServiceHost.InitializeAsync(app, CancellationToken.None);
        await app.StartAsync();
        return app;
    }

    private static HttpClient Client(WebApplication app) =>
        new() { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };
}
