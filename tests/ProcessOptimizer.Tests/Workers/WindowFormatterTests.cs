using System.Buffers;
using MessagePack;
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

    [Fact]
    public void Request_RowsInTheirOwnTagOrders_ArriveAsTheColumnsOfTheWindowOfTheRowsSent()
    {
        // The second row names its tags in another order than their first appearance, and leaves one out.
        ProcessRow[] rows =
        [
            new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new Dictionary<string, double?> { ["x"] = 1.0, ["y"] = double.NaN, ["z"] = null }),
            new(new DateTimeOffset(2026, 1, 1, 0, 1, 0, TimeSpan.Zero), new Dictionary<string, double?> { ["z"] = -3.25, ["x"] = -0.0 }),
        ];
        var request = new SolveRequest(WorkerProtocol.Version, "1.0.0", null, rows, 100, 1e-8, true, 30, new Dictionary<string, string>());

        using var channel = new MemoryStream();
        WorkerProtocol.Write(channel, request);
        channel.Position = 0;
        var received = Assert.IsType<ProcessWindow>(WorkerProtocol.Read<SolveRequest>(channel)?.Rows);

        var expected = ProcessWindow.Of(rows);
        Assert.Equal(expected.Tags, received.Tags);
        for (var t = 0; t < expected.Tags.Count; t++)
        {
            Assert.Equal(expected.Column(t).Select(BitConverter.DoubleToInt64Bits), received.Column(t).Select(BitConverter.DoubleToInt64Bits));
            for (var r = 0; r < rows.Length; r++)
            {
                Assert.Equal(expected.Has(r, t), received.Has(r, t));
                Assert.Equal(expected.Value(r, t).HasValue, received.Value(r, t).HasValue);
            }
        }

        Assert.False(received.Has(1, received.TagIndex("y")));
        Assert.Null(received.Value(0, received.TagIndex("z")));
    }

    [Fact]
    public void Request_AWindow_ArrivesAsTheWindowOfItsOwnRows()
    {
        // A window as the loop reads it: tag "a" has no cell in the first row and "b" none at all, so the rows
        // name "c" before "a", and "b" never.
        var window = new ProcessWindow(["a", "b", "c"], 2);
        window.SetTime(0, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        window.SetAbsent(0, 0);
        window.SetAbsent(0, 1);
        window.Set(0, 2, 4.5);
        window.SetTime(1, null);
        window.Set(1, 0, null);
        window.SetAbsent(1, 1);
        window.Set(1, 2, -0.0);
        var request = new SolveRequest(WorkerProtocol.Version, "1.0.0", null, window, 100, 1e-8, true, 30, new Dictionary<string, string>());

        using var channel = new MemoryStream();
        WorkerProtocol.Write(channel, request);
        channel.Position = 0;
        var received = Assert.IsType<ProcessWindow>(WorkerProtocol.Read<SolveRequest>(channel)?.Rows);

        var expected = ProcessWindow.Of([.. window]);
        Assert.Equal(["c", "a"], received.Tags);
        Assert.Equal(expected.Tags, received.Tags);
        Assert.Equal([window.Timestamp(0), null], [received.Timestamp(0), received.Timestamp(1)]);
        Assert.Equal([BitConverter.DoubleToInt64Bits(4.5), BitConverter.DoubleToInt64Bits(-0.0)], received.Column(0).Select(BitConverter.DoubleToInt64Bits));
        Assert.False(received.Has(0, 1));
        Assert.True(received.Has(1, 1));
        Assert.Null(received.Value(1, 1));
    }

    [Fact]
    public void Deserialize_TagNamedTwice_IsABrokenPeer()
    {
        // The table names "a" twice; then a table of "a" alone, and a row that gives tag 0 two values.
        var twiceInTable = Window(["a", "a"], []);
        var twiceInRow = Window(["a"], [(0, 1.0), (0, 2.0)]);

        Assert.Contains("twice", Assert.Throws<MessagePackSerializationException>(() => Read(twiceInTable)).Message, StringComparison.Ordinal);
        Assert.Contains("twice", Assert.Throws<MessagePackSerializationException>(() => Read(twiceInRow)).Message, StringComparison.Ordinal);
    }

    // A window as a broken peer might write it: the names, then one row without a time holding the pairs given.
    private static byte[] Window(string[] names, (int Tag, double Value)[] row)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(names.Length);
        foreach (var name in names)
        {
            writer.Write(name);
        }

        writer.WriteArrayHeader(1);
        writer.WriteNil();
        writer.WriteMapHeader(row.Length);
        foreach (var (tag, value) in row)
        {
            writer.Write(tag);
            writer.Write(value);
        }

        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static IReadOnlyList<ProcessRow> Read(byte[] bytes)
    {
        var reader = new MessagePackReader(bytes);
        return new WindowFormatter().Deserialize(ref reader, MessagePackSerializerOptions.Standard);
    }
}
