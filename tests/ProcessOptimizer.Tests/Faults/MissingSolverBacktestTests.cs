using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
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
        await using var app = ServiceHost.Build(
            [
                "--Urls=http://127.0.0.1:0", "--App:Mode=api", "--Demo:Replay=false", $"--Solver:Workers={workers}",
                "--Storage:Kind=local", "--Storage:LocalRoot=" + kiln.Store, "--Database:Kind=sqlite", "--Database:ConnectionString=" + kiln.ConnectionString,
                "--Database:OutboxFolder=" + Path.Combine(kiln.Store, "..", "outbox"),
            ],
            builder => builder.Services.AddSingleton(new IpoptLibrary(MissingSolverLibraryTests.Absent)));
        await ServiceHost.InitializeAsync(app, CancellationToken.None);
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };

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
    public async Task BacktestCommand_WithoutTheSolverLibrary_FailsWithOneLineNamingItAndStoresNothing()
    {
        using var kiln = new KilnBacktest();
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await CommandDispatcher.RunAsync(
            [.. kiln.Arguments(0, "--from", "2026-01-02T00:00:00Z", "--to", "2026-01-02T01:00:00Z")], output, error, new IpoptLibrary(MissingSolverLibraryTests.Absent));

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Equal("", output.ToString());
        var line = Assert.Single(error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(MissingSolverLibraryTests.Absent, line, StringComparison.Ordinal);
        Assert.Null(await new SqlBacktestStore(ProcessDatabase.Create(DatabaseKind.Sqlite, kiln.ConnectionString)).GetAsync(1, CancellationToken.None));
    }
}
