using System.Net;
using ProcessOptimizer.Tests.Workers;
using static ProcessOptimizer.Tests.Hostile.HostileRequests;

namespace ProcessOptimizer.Tests.Api;

/// <summary>Issue 13: <c>Api:InlineStrategies</c> on the real host; the deployed strategy is served whatever the rule.</summary>
[Collection(nameof(WorkerHostCollection))]
public sealed class InlineStrategiesHostTests
{
    private const string Key = "inline-key-7f3";

    [Theory]
    [InlineData("key")]
    [InlineData(null)] // with Api:Key set, the rule defaults to key
    public async Task Optimize_InlineStrategyUnderKeyRule_AcceptedOnlyWithTheKey(string? rule)
    {
        await using var host = await WorkerHost.StartAsync(["--Solver:Workers=1", "--Api:Key=" + Key, .. rule is null ? Array.Empty<string>() : ["--Api:InlineStrategies=" + rule]]);

        using var without = await host.OptimizeAsync(Normal());
        using var wrong = await host.OptimizeAsync(Normal(), "inline-key-7f4");
        using var right = await host.OptimizeAsync(Normal(), Key);
        using var deployed = await host.OptimizeAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("X-Api-Key", (await WorkerHost.JsonAsync(without)).GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal("success", (await WorkerHost.JsonAsync(right)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, deployed.StatusCode);
        // The refused requests never reached the solver: only the two answers are stored.
        Assert.Equal(2, (await WorkerHost.JsonAsync(await host.Client.GetAsync("/runs?strategy=process-optimization/api"))).GetArrayLength());
    }

    [Fact]
    public async Task Optimize_InlineStrategyUnderDenyRule_RefusedEvenWithTheKey_DeployedStillServed()
    {
        await using var host = await WorkerHost.StartAsync("--Solver:Workers=1", "--Api:Key=" + Key, "--Api:InlineStrategies=deny");

        using var inline = await host.OptimizeAsync(Normal(), Key);
        using var deployed = await host.OptimizeAsync();

        Assert.Equal(HttpStatusCode.Forbidden, inline.StatusCode);
        Assert.Contains("'deny'", (await WorkerHost.JsonAsync(inline)).GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, deployed.StatusCode);
        Assert.NotNull((await WorkerHost.JsonAsync(deployed)).GetProperty("optimized_variables").GetRawText());
    }
}
