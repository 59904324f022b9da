using System.Text.Json;
using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Storage.Database;

namespace ProcessOptimizer.Tests.Service;

/// <summary>The loop over time (fake clock) and shutdown in the middle of a cycle.</summary>
[Collection(ServiceHostCollection.Name)]
public sealed class ServiceLifecycleTests
{
    [Fact]
    public async Task Loop_NextIntervalWithoutNewData_RecordsASkipAndKeepsRunning()
    {
        await using var service = new OwnedService();
        await service.Fixture.InitializeAsync();
        var first = await service.Fixture.LatestRunAsync();

        service.Fixture.Clock.Advance(TimeSpan.FromSeconds(3600));
        JsonElement second = first;
        for (var i = 0; i < 100 && second.GetProperty("id").GetInt64() == first.GetProperty("id").GetInt64(); i++)
        {
            await Task.Delay(100);
            second = await service.Fixture.LatestRunAsync();
        }

        Assert.Equal("success", first.GetProperty("outcome").GetString());
        // An hour without data is past Optimization:MaxDataAgeSeconds: stale comes before "no new data" (issue 14).
        Assert.Equal("skipped-stale", second.GetProperty("outcome").GetString());
        Assert.Equal(0, second.GetProperty("recommendations").GetArrayLength());
    }

    [Fact]
    public async Task Shutdown_DuringTheFirstCycle_LeavesNoHalfRun()
    {
        await using var service = new OwnedService();
        await service.Fixture.InitializeAsync();

        // The first cycle starts with the host; stop at once, while it is loading the model or solving.
        var stopping = Task.Run(() => service.Fixture.App.StopAsync());
        var finished = await Task.WhenAny(stopping, Task.Delay(TimeSpan.FromSeconds(25)));

        Assert.Same(stopping, finished);
        var runs = new SqlRunStore(ProcessDatabase.Create(DatabaseKind.Postgres, service.Fixture.DatabaseConnection));
        var stored = await runs.RangeAsync(DateTimeOffset.MinValue.AddYears(2000), DateTimeOffset.MaxValue.AddYears(-2000), 100, null, CancellationToken.None);
        foreach (var run in stored)
        {
            var full = await runs.GetAsync(run.Id, CancellationToken.None);
            var expected = full!.Outcome is RunOutcome.Success or RunOutcome.Infeasible or RunOutcome.SolverFailed or RunOutcome.NotConverged ? 30 : 0;
            Assert.Equal(expected, full.Recommendations.Count);
        }
    }

    /// <summary>A service of the test's own, so that stopping it does not disturb the shared fixture.</summary>
    private sealed class OwnedService : IAsyncDisposable
    {
        public ServiceFixture Fixture { get; } = new();

        public async ValueTask DisposeAsync() => await Fixture.DisposeAsync();
    }
}
