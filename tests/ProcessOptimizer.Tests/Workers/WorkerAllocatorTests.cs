using ProcessOptimizer.Workers;

namespace ProcessOptimizer.Tests.Workers;

/// <summary>Workers start with a deeper per-thread cache in glibc's allocator, and the operator's own settings kept.</summary>
[Collection(nameof(WorkerHostCollection))]
public sealed class WorkerAllocatorTests
{
    [Theory]
    [InlineData(null, "glibc.malloc.tcache_count=4096")]
    [InlineData("", "glibc.malloc.tcache_count=4096")]
    [InlineData("glibc.malloc.arena_max=2", "glibc.malloc.arena_max=2:glibc.malloc.tcache_count=4096")]
    [InlineData("glibc.malloc.arena_max=2:glibc.malloc.tcache_count=16", "glibc.malloc.arena_max=2:glibc.malloc.tcache_count=16")]
    [InlineData("glibc.malloc.tcache_count=0", "glibc.malloc.tcache_count=0")]
    [InlineData("glibc.malloc.tcache_count_extra=1", "glibc.malloc.tcache_count_extra=1:glibc.malloc.tcache_count=4096")]
    [InlineData("glibc.malloc.tcache_max=512", "glibc.malloc.tcache_max=512:glibc.malloc.tcache_count=4096")]
    public void Tunables_KeepTheOperatorsAndAddTheCacheDepthUnlessSet(string? inherited, string expected) =>
        Assert.Equal(expected, WorkerAllocator.Tunables(inherited));

    [Fact]
    public async Task Worker_StartsWithTheCacheDepthInItsEnvironment()
    {
        await using var host = await WorkerHost.StartAsync("--Solver:Workers=1");
        var pid = (await host.PidsAsync())[0];

        var environment = (await File.ReadAllTextAsync($"/proc/{pid}/environ")).Split('\0');
        var tunables = Assert.Single(environment, e => e.StartsWith("GLIBC_TUNABLES=", StringComparison.Ordinal));
        var pairs = tunables["GLIBC_TUNABLES=".Length..].Split(':');
        Assert.Contains(pairs, p => p.StartsWith("glibc.malloc.tcache_count=", StringComparison.Ordinal));
        // Whatever this test process was started with is still there.
        foreach (var own in Environment.GetEnvironmentVariable("GLIBC_TUNABLES")?.Split(':') ?? [])
        {
            Assert.Contains(own, pairs);
        }
    }
}
