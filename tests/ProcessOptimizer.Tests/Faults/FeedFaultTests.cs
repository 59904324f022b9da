using System.Net;
using ProcessOptimizer.Tests.Service;

namespace ProcessOptimizer.Tests.Faults;

/// <summary>
/// Issue 14: the data feed stops. Cycles must say "stale" (not "no new data" forever), /health must be degraded
/// after one stale cycle and unhealthy after Optimization:StaleUnhealthySeconds, and one new row must bring
/// everything back in the next cycle.
/// </summary>
[Collection(ServiceHostCollection.Name)]
public sealed class FeedFaultTests
{
    [Fact]
    public async Task Feed_Stopped_IsStaleDegradedThenUnhealthyAndRecoversWithTheNextRow()
    {
        var service = new ServiceFixture
        {
            Settings = ["--Optimization:IntervalSeconds=300", "--Optimization:MaxDataAgeSeconds=600", "--Optimization:StaleUnhealthySeconds=1200"],
        };
        try
        {
            await service.InitializeAsync();
            var last = (await service.LatestRunAsync()).GetProperty("id").GetInt64();
            var first = last;

            // Five minutes without data: nothing new, but not stale yet.
            last = await NextCycleAsync(service, last, "skipped-no-new-data");
            Assert.Equal("healthy", (await FaultKit.HealthAsync(service.Client)).Body.GetProperty("status").GetString());

            // Past the data age limit: stale, and health says so within a second of that first stale cycle.
            last = await NextCycleAsync(service, last, "skipped-stale");
            using var stale = OwnLateness.Start();
            var (status, health) = await FaultKit.SaysWithinASecondAsync(service.Client, stale, (_, h) => h.GetProperty("status").GetString() == "degraded", "degraded after the first stale cycle");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("degraded", health.GetProperty("status").GetString());
            Assert.Equal("degraded", health.GetProperty("data").GetProperty("status").GetString());

            // Stale for longer than the configured time: unhealthy.
            for (var i = 0; i < 5; i++)
            {
                last = await NextCycleAsync(service, last, "skipped-stale");
            }

            (status, health) = await FaultKit.HealthAsync(service.Client);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("unhealthy", health.GetProperty("data").GetProperty("status").GetString());

            // The feed resumes: one row, and the next cycle is a normal one.
            await FaultKit.AppendRowAsync(service.DatabaseConnection, service.Clock.GetUtcNow().AddSeconds(250));
            await NextCycleAsync(service, last, "success");
            Assert.Equal("healthy", (await FaultKit.HealthAsync(service.Client)).Body.GetProperty("status").GetString());

            // One run per interval, each stored once: no new data, six stale, and the recovery.
            var loop = (await FaultKit.RunsAsync(service.DatabaseConnection)).Where(r => r.Id > first && r.Strategy == "process-optimization").ToList();
            Assert.Equal(["skipped-no-new-data", .. Enumerable.Repeat("skipped-stale", 6), "success"], loop.Select(r => r.Outcome));
            Assert.Equal(loop.Count, loop.Select(r => r.Key).Distinct().Count());
        }
        finally
        {
            await service.DisposeAsync();
        }
    }

    [Fact]
    public async Task Feed_RequiredTagStuckAtNaN_IsDegradedNamingTheTagThenUnhealthyAndRecoversWithAGoodRow()
    {
        // Rows keep coming, but a sensor the model needs reads NaN: no recommendation, and /health said healthy.
        var service = new ServiceFixture
        {
            Settings = ["--Optimization:IntervalSeconds=300", "--Optimization:MaxDataAgeSeconds=600", "--Optimization:StaleUnhealthySeconds=800"],
        };
        try
        {
            await service.InitializeAsync();
            var last = (await service.LatestRunAsync()).GetProperty("id").GetInt64();
            var first = last;
            var reading = await FaultKit.NewestValueAsync(service.DatabaseConnection, "Kiln_Coal_PV");

            await FaultKit.AppendRowAsync(service.DatabaseConnection, service.Clock.GetUtcNow().AddSeconds(250), "Kiln_Coal_PV", double.NaN);
            last = await NextCycleAsync(service, last, "skipped-bad-data");
            using var unusable = OwnLateness.Start();
            var (status, health) = await FaultKit.SaysWithinASecondAsync(service.Client, unusable, (_, h) => h.GetProperty("status").GetString() == "degraded", "degraded after the first cycle without a usable row");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("degraded", health.GetProperty("data").GetProperty("status").GetString());
            Assert.Contains("Kiln_Coal_PV", health.GetProperty("last_cycle").GetProperty("error").GetString(), StringComparison.Ordinal);

            // A minute without a new row says nothing about the sensor: still degraded.
            last = await NextCycleAsync(service, last, "skipped-no-new-data");
            Assert.Equal("degraded", (await FaultKit.HealthAsync(service.Client)).Body.GetProperty("data").GetProperty("status").GetString());

            // Still NaN past Optimization:StaleUnhealthySeconds: unhealthy.
            for (var i = 0; i < 2; i++)
            {
                await FaultKit.AppendRowAsync(service.DatabaseConnection, service.Clock.GetUtcNow().AddSeconds(250), "Kiln_Coal_PV", double.NaN);
                last = await NextCycleAsync(service, last, "skipped-bad-data");
            }

            (status, health) = await FaultKit.HealthAsync(service.Client);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("unhealthy", health.GetProperty("data").GetProperty("status").GetString());

            // The sensor reads again: the next cycle uses the row, and health is back.
            await FaultKit.AppendRowAsync(service.DatabaseConnection, service.Clock.GetUtcNow().AddSeconds(250), "Kiln_Coal_PV", reading);
            last = await NextCycleAsync(service, last, "success");
            Assert.Equal("healthy", (await FaultKit.HealthAsync(service.Client)).Body.GetProperty("status").GetString());
            Assert.True(last > first);
        }
        finally
        {
            await service.DisposeAsync();
        }
    }

    /// <summary>Advances the clock one interval and returns the id of the cycle that ran, checking its outcome.</summary>
    private static async Task<long> NextCycleAsync(ServiceFixture service, long after, string outcome)
    {
        service.Clock.Advance(TimeSpan.FromSeconds(300));
        FaultKit.StoredRun? next = null;
        await FaultKit.WaitForAsync(async () =>
        {
            next = (await FaultKit.RunsAsync(service.DatabaseConnection)).FirstOrDefault(r => r.Id > after && r.Strategy == "process-optimization");
            return next is not null;
        }, TimeSpan.FromSeconds(30), "the next cycle");
        Assert.Equal(outcome, next!.Outcome);
        return next.Id;
    }
}
