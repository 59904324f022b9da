using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Workers;

namespace ProcessOptimizer.Tests.Workers;

/// <summary>Issue 15: the window travels to a worker by tag number, and arrives as it was sent.</summary>
public sealed class WindowFormatterTests
{
    [Fact]
    public void Request_ThroughTheChannel_ArrivesWithTheSameRowsTimesAndTagOrder()
    {
        ProcessRow[] rows =
        [
            new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new Dictionary<string, double?> { ["b"] = 2.5, ["a"] = null, ["c"] = -0.0 }),
            new(new DateTimeOffset(2026, 1, 1, 1, 0, 0, 123, TimeSpan.FromMinutes(330)).AddTicks(7), new Dictionary<string, double?> { ["a"] = double.Epsilon, ["d"] = 1e300 }),
            new(null, new Dictionary<string, double?>()),
        ];
        var request = new SolveRequest(WorkerProtocol.Version, "1.0.0", null, rows, 100, 1e-8, true, 30, new Dictionary<string, string> { ["k"] = "e" });

        using var channel = new MemoryStream();
        WorkerProtocol.Write(channel, request);
        channel.Position = 0;
        var received = WorkerProtocol.Read<SolveRequest>(channel);

        Assert.NotNull(received);
        Assert.Equal(rows.Length, received.Rows.Count);
        for (var i = 0; i < rows.Length; i++)
        {
            Assert.Equal(rows[i].Timestamp, received.Rows[i].Timestamp);
            Assert.Equal(rows[i].Timestamp?.Offset, received.Rows[i].Timestamp?.Offset);
            Assert.Equal(rows[i].Values.Keys, received.Rows[i].Values.Keys);
            Assert.Equal(rows[i].Values.Values.Select(v => v is { } d ? BitConverter.DoubleToInt64Bits(d) : (long?)null), received.Rows[i].Values.Values.Select(v => v is { } d ? BitConverter.DoubleToInt64Bits(d) : (long?)null));
        }
    }
}
