using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Workers;

namespace ProcessOptimizer.Tests.Workers;

/// <summary>Issue 15: the window travels to a worker column by column, and arrives as the window this process would solve on.</summary>
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

        var received = RoundTrip(rows);

        Assert.Equal(rows.Length, received.Count);
        for (var i = 0; i < rows.Length; i++)
        {
            Assert.Equal(rows[i].Timestamp, received[i].Timestamp);
            Assert.Equal(rows[i].Timestamp?.Offset, received[i].Timestamp?.Offset);
            Assert.Equal(rows[i].Values.Keys, received[i].Values.Keys);
            Assert.Equal(rows[i].Values.Values.Select(v => v is { } d ? BitConverter.DoubleToInt64Bits(d) : (long?)null), received[i].Values.Values.Select(v => v is { } d ? BitConverter.DoubleToInt64Bits(d) : (long?)null));
        }
    }

    [Fact]
    public void Request_RowsInTheirOwnTagOrders_ArriveAsTheColumnsOfTheWindowOfTheRowsSent()
    {
        // The second row names its tags in another order than their first appearance, and leaves one out.
        ProcessRow[] rows =
        [
            new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new Dictionary<string, double?> { ["x"] = 1.0, ["y"] = double.NaN, ["z"] = null }),
            new(new DateTimeOffset(2026, 1, 1, 0, 1, 0, TimeSpan.Zero), new Dictionary<string, double?> { ["z"] = -3.25, ["x"] = -0.0 }),
        ];

        var received = RoundTrip(rows);

        AssertSameWindow(ProcessWindow.Of(rows), received);
        Assert.False(received.Has(1, received.TagIndex("y")));
        Assert.True(double.IsNaN(received.Value(0, received.TagIndex("y"))!.Value));
        Assert.Null(received.Value(0, received.TagIndex("z")));
    }

    [Fact]
    public void Request_AWindow_ArrivesAsThatWindowWithATagThatHasNoCell()
    {
        // A window as the loop reads it: tag "a" has no cell in the first row and "b" none at all. The cycle in this
        // process reads the window as it is, so the worker gets "b" too, in its place.
        var window = new ProcessWindow(["a", "b", "c"], 2);
        window.SetTime(0, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        window.SetAbsent(0, 0);
        window.SetAbsent(0, 1);
        window.Set(0, 2, 4.5);
        window.SetTime(1, null);
        window.Set(1, 0, null);
        window.SetAbsent(1, 1);
        window.Set(1, 2, -0.0);

        var received = RoundTrip(window);

        AssertSameWindow(window, received);
        Assert.Equal(["a", "b", "c"], received.Tags);
        Assert.Equal(1, received.TagIndex("b"));
        Assert.Equal([CellKind.Absent, CellKind.Null], received.Kinds(0).ToArray());
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(2, 3)]
    [InlineData(90, 4)]
    [InlineData(5_000, 5)]
    public void Request_RowsOfOddTagsOrdersValuesAndTimes_ArriveAsTheWindowOfTheRowsSent(int count, int seed)
    {
        var rows = OddRows.Make(count, new Random(seed));

        var received = RoundTrip(rows);

        AssertSameWindow(ProcessWindow.Of(rows), received);
    }

    [Fact]
    public void Request_TimesAtTheEndsOfTheirRange_ArriveWithTheirTicksAndOffsets()
    {
        ProcessRow[] rows =
        [
            new(DateTimeOffset.MinValue, new Dictionary<string, double?> { ["a"] = 1 }),
            new(new DateTimeOffset(1, 1, 1, 14, 0, 0, TimeSpan.FromHours(14)), new Dictionary<string, double?> { ["a"] = 2 }),
            new(new DateTimeOffset(9999, 12, 31, 0, 0, 0, TimeSpan.FromHours(-14)).AddTicks(-1), new Dictionary<string, double?> { ["a"] = 3 }),
            new(DateTimeOffset.MaxValue, new Dictionary<string, double?> { ["a"] = 4 }),
        ];

        AssertSameWindow(ProcessWindow.Of(rows), RoundTrip(rows));
    }

    internal static void AssertSameWindow(ProcessWindow expected, ProcessWindow received)
    {
        Assert.Equal(expected.Tags, received.Tags);
        Assert.Equal(expected.Count, received.Count);
        for (var r = 0; r < expected.Count; r++)
        {
            // DateTimeOffset's equality compares instants only: the offset must arrive too.
            Assert.Equal(expected.Timestamp(r)?.Ticks, received.Timestamp(r)?.Ticks);
            Assert.Equal(expected.Timestamp(r)?.Offset, received.Timestamp(r)?.Offset);
        }

        for (var t = 0; t < expected.Tags.Count; t++)
        {
            Assert.Equal(expected.Column(t).Select(BitConverter.DoubleToInt64Bits), received.Column(t).Select(BitConverter.DoubleToInt64Bits));
            Assert.Equal(expected.Kinds(t).ToArray(), received.Kinds(t).ToArray());
        }
    }

    private static ProcessWindow RoundTrip(IReadOnlyList<ProcessRow> rows)
    {
        var request = new SolveRequest(WorkerProtocol.Version, "1.0.0", null, rows, 100, 1e-8, true, 30, new Dictionary<string, string> { ["k"] = "e" });
        using var channel = new MemoryStream();
        WorkerProtocol.Write(channel, request);
        channel.Position = 0;
        return Assert.IsType<ProcessWindow>(WorkerProtocol.Read<SolveRequest>(channel)?.Rows);
    }
}
