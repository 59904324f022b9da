using Microsoft.Extensions.DependencyInjection;
using ProcessOptimizer.Core.Data;
using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Cycles;
using ProcessOptimizer.Inputs;
using ProcessOptimizer.Storage.Database;
using ProcessOptimizer.Strategies;
using ProcessOptimizer.Tests.Workers;

namespace ProcessOptimizer.Tests.Cycles;

/// <summary>
/// A plant writer whose clock or time zone is wrong stamps a live feed ahead of the service's clock. A cycle reads
/// only rows at or before now, so the feed looks older than it is, or stale; the run must say why.
/// </summary>
[Collection(nameof(WorkerHostCollection))]
public sealed class AheadRowsTests
{
    [Fact]
    public async Task LoopCycle_FeedStampedThreeHoursAhead_StaleRunNamesTheRowsAhead()
    {
        // The writer's zone is off by three hours: every row of the live window is stamped after now.
        var run = await CycleOnAsync(newestAt: now => now.AddHours(3));

        Assert.Equal(RunOutcome.SkippedStale, run.Outcome);
        Assert.Equal(2, run.MessageItems!.Count);
        Assert.StartsWith("no process data at or before", run.MessageItems[0], StringComparison.Ordinal);
        Assert.StartsWith("90 rows are stamped more than a minute after now", run.MessageItems[1], StringComparison.Ordinal);
        Assert.Contains("(3 h ahead of the service's clock)", run.MessageItems[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoopCycle_FeedStampedHalfAnHourAhead_SolvesOnTheRowsUpToNowAndWarns()
    {
        // Rows up to now are within the data age, so the cycle solves, on data half an hour older than it looks.
        var run = await CycleOnAsync(newestAt: now => now.AddMinutes(30));

        Assert.Equal(RunOutcome.Success, run.Outcome);
        var warning = Assert.Single(run.MessageItems!, m => m.Contains("stamped more than a minute after now", StringComparison.Ordinal));
        Assert.Matches("^(29|30) rows are stamped", warning);
        Assert.Contains("(30 min ahead of the service's clock)", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoopCycle_FeedStampedUpToNow_SaysNothingOfRowsAhead()
    {
        var run = await CycleOnAsync(newestAt: now => now.AddSeconds(-30));

        Assert.Equal(RunOutcome.Success, run.Outcome);
        Assert.DoesNotContain(run.MessageItems ?? [], m => m.Contains("after now", StringComparison.Ordinal));
    }

    // The kiln's latest window (90 one-minute rows) imported with its newest row at newestAt(now), then one loop cycle.
    private static async Task<RunRecord> CycleOnAsync(Func<DateTimeOffset, DateTimeOffset> newestAt)
    {
        await using var host = await WorkerHost.StartAsync("--Solver:Workers=0");
        var input = InputParser.ReadFile(Path.Combine(TestServers.Kiln, "window-latest.csv"));
        var shift = DataTime.Whole(newestAt(DateTimeOffset.UtcNow)) - input.Rows[^1].Timestamp!.Value;
        var tags = input.Rows[0].Values.Keys.ToList();
        var rows = input.Rows.Select(r => new CsvRow(r.Timestamp!.Value + shift, [.. tags.Select(t => r.Values[t])])).ToList();
        await new ProcessDataImporter(host.App.Services.GetRequiredService<ProcessDatabase>()).ImportAsync(new CsvTable(tags, rows), CancellationToken.None);

        var run = await host.App.Services.GetRequiredService<CycleExecutor>().RunOnceAsync(host.App.Services.GetRequiredService<StrategyCatalog>().Default, null, CancellationToken.None);
        return run!;
    }
}
