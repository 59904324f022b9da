using System.Buffers;
using System.Buffers.Binary;
using MessagePack;
using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Workers;

namespace ProcessOptimizer.Tests.Workers;

/// <summary>Issue 15: a window frame that no service writes is a broken peer, refused with what is wrong, never read as a window.</summary>
public sealed class BrokenWindowTests
{
    [Theory]
    [InlineData("parts", "5 parts, not 6")]
    [InlineData("nil name", "tag name of the window is nil")]
    [InlineData("tag twice", "named twice")]
    [InlineData("rows negative", "-1 rows")]
    [InlineData("ticks short", "ticks are 15 bytes, not 2 of 8")]
    [InlineData("offsets nil", "offsets are nil")]
    [InlineData("values long", "values of b are 24 bytes, not 2 of 8")]
    [InlineData("values column missing", "1 value columns, not 2")]
    [InlineData("kinds column missing", "1 kind columns, not 2")]
    [InlineData("kind none", "of kind 3")]
    [InlineData("null holding a value", "row 1 of tag a is of kind 1 holding 7")]
    [InlineData("absent holding another NaN", "row 0 of tag b is of kind 2")]
    [InlineData("offset out of range", "out of range")]
    [InlineData("time past the end", "out of range")]
    [InlineData("ticks without a time", "row 1 has ticks 5 but no time")]
    public void Deserialize_BrokenWindow_RefusedSayingWhat(string broken, string said)
    {
        var refused = Assert.Throws<MessagePackSerializationException>(() => Read(Frame(broken)));

        Assert.Contains(said, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_TheFrameTheseTestsBreak_IsAWindow()
    {
        var window = Assert.IsType<ProcessWindow>(Read(Frame("none")));

        Assert.Equal(["a", "b"], window.Tags);
        Assert.Equal([1.5, double.NaN], window.Column(0));
        Assert.Equal([CellKind.Value, CellKind.Null], window.Kinds(0).ToArray());
        Assert.Equal([CellKind.Absent, CellKind.Value], window.Kinds(1).ToArray());
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(1)), window.Timestamp(0));
        Assert.Null(window.Timestamp(1));
    }

    [Fact]
    public void Read_FrameCutInsideTheWindowWithItsLengthMadeToMatch_IsRefused()
    {
        // A frame whose header agrees with its body, but the body ends inside a column: not a message at all.
        using var whole = new MemoryStream();
        WorkerProtocol.Write(whole, new SolveRequest(WorkerProtocol.Version, "1.0.0", null, OddRows.Make(90, new Random(7)), 100, 1e-8, true, 30, new Dictionary<string, string>()));
        var bytes = whole.ToArray();
        var cut = bytes[..(bytes.Length / 2)];
        BinaryPrimitives.WriteInt32LittleEndian(cut, cut.Length - 4);

        Assert.Throws<MessagePackSerializationException>(() => WorkerProtocol.Read<SolveRequest>(new MemoryStream(cut)));
    }

    [Fact]
    public void Write_WindowPastTheFrameLimit_RefusedBeforeAByteIsWritten()
    {
        // 1,024 tags of 8,192 rows: 72 MB of values and kinds, past the 64 MB that either side reads.
        var window = new ProcessWindow([.. Enumerable.Range(0, 1024).Select(t => $"t{t}")], 8192);
        for (var t = 0; t < window.Tags.Count; t++)
        {
            for (var r = 0; r < window.Count; r++)
            {
                window.Set(r, t, r);
            }
        }

        using var channel = new MemoryStream();
        var refused = Assert.Throws<InvalidDataException>(() => WorkerProtocol.Write(channel, new SolveRequest(WorkerProtocol.Version, "1.0.0", null, window, 100, 1e-8, true, 30, new Dictionary<string, string>())));

        Assert.Contains("out of range", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, channel.Length);
    }

    // Two tags over two rows, as the service writes them, with one thing broken (or nothing, for "none").
    private static byte[] Frame(string broken)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(broken == "parts" ? 5 : 6);
        writer.WriteArrayHeader(2);
        writer.Write("a");
        if (broken == "nil name")
        {
            writer.WriteNil();
        }
        else
        {
            writer.Write(broken == "tag twice" ? "a" : "b");
        }

        writer.Write(broken == "rows negative" ? -1 : 2);
        var time = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(1));
        var ticks = broken switch
        {
            "time past the end" => DateTime.MaxValue.Ticks,
            "ticks without a time" => 5,
            _ => 0,
        };
        Bin(ref writer, [.. BitConverter.GetBytes(broken == "time past the end" ? ticks : time.Ticks), .. BitConverter.GetBytes(ticks)], broken == "ticks short" ? 15 : 16);
        short offset = broken switch
        {
            "offset out of range" => 900,
            "time past the end" => -60,
            _ => 60,
        };
        if (broken == "offsets nil")
        {
            writer.WriteNil();
        }
        else
        {
            Bin(ref writer, [.. BitConverter.GetBytes(offset), .. BitConverter.GetBytes(short.MinValue)]);
        }

        var aSecond = broken == "null holding a value" ? 7.0 : double.NaN;
        var bFirst = broken == "absent holding another NaN" ? BitConverter.Int64BitsToDouble(0x7FF8_0000_0000_0000) : double.NaN;
        writer.WriteArrayHeader(broken == "values column missing" ? 1 : 2);
        Bin(ref writer, [.. BitConverter.GetBytes(1.5), .. BitConverter.GetBytes(aSecond)]);
        if (broken != "values column missing")
        {
            Bin(ref writer, [.. BitConverter.GetBytes(bFirst), .. BitConverter.GetBytes(2.5), .. broken == "values long" ? new byte[8] : []]);
        }

        writer.WriteArrayHeader(broken == "kinds column missing" ? 1 : 2);
        Bin(ref writer, [0, 1]);
        if (broken != "kinds column missing")
        {
            Bin(ref writer, [2, (byte)(broken == "kind none" ? 3 : 0)]);
        }

        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static void Bin(ref MessagePackWriter writer, byte[] bytes, int length = -1) =>
        writer.Write(bytes.AsSpan(0, length < 0 ? bytes.Length : length));

    private static IReadOnlyList<ProcessRow> Read(byte[] bytes)
    {
        var reader = new MessagePackReader(bytes);
        return new WindowFormatter().Deserialize(ref reader, MessagePackSerializerOptions.Standard);
    }
}
