using ProcessOptimizer.Workers;

namespace ProcessOptimizer.Tests.Workers;

/// <summary>Workers start with their thread pool's spinning turned off, unless the operator set it for the service.</summary>
[Collection(nameof(WorkerHostCollection))]
public sealed class WorkerThreadPoolTests
{
    [Fact]
    public async Task Worker_StartsWithNoThreadPoolSpinningUnlessTheServiceHasItsOwn()
    {
        await using var host = await WorkerHost.StartAsync("--Solver:Workers=1");
        var pid = (await host.PidsAsync())[0];

        var environment = (await File.ReadAllTextAsync($"/proc/{pid}/environ")).Split('\0');

        var setting = Assert.Single(environment, e => e.StartsWith("DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=", StringComparison.Ordinal));
        Assert.Equal($"DOTNET_ThreadPool_UnfairSemaphoreSpinLimit={Environment.GetEnvironmentVariable(WorkerThreadPool.Variable) ?? "0"}", setting);
    }
}
