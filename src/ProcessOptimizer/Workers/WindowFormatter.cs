using System.Buffers;
using MessagePack;
using MessagePack.Formatters;
using ProcessOptimizer.Core.Cycle;

namespace ProcessOptimizer.Workers;

/// <summary>
/// A data window on the worker channel, column by column as <see cref="ProcessWindow"/> holds it: the tag names,
/// the row count, each row's time (ticks and offset in minutes), then per tag its values and its cells' kinds,
/// each array one block of little-endian bytes (<see cref="LittleEndianBlock"/>). Encoding and decoding a window is
/// then a copy of its arrays, where a number at a time was most of the channel's own cost.
/// </summary>
/// <remarks>
/// What is written is the window the cycle would read in this process, <see cref="ProcessWindow.Of"/> of the rows:
/// a window as it is (its tags in its order, a tag with no cell included), other rows in the order their tags first
/// appear. It is read back as that window: the same tags in the same order, times and offsets, values to the bit
/// and null and absent cells. A frame that does not describe such a window (blocks of the wrong length, a tag named
/// twice, a time out of range, a kind that is none, a null cell holding a value) is a broken peer, reported as a
/// <c>MessagePackSerializationException</c>.
/// </remarks>
public sealed class WindowFormatter : IMessagePackFormatter<IReadOnlyList<ProcessRow>>
{
    private const int Parts = 6;

    // The offset written for a row without a time: a real offset is within ±14 hours, ±840 minutes.
    private const short NoTime = short.MinValue;

    public void Serialize(ref MessagePackWriter writer, IReadOnlyList<ProcessRow> value, MessagePackSerializerOptions options)
    {
        var window = ProcessWindow.Of(value);
        var rows = window.Count;
        writer.WriteArrayHeader(Parts);
        writer.WriteArrayHeader(window.Tags.Count);
        foreach (var tag in window.Tags)
        {
            writer.Write(tag);
        }

        writer.Write(rows);
        var ticks = ArrayPool<long>.Shared.Rent(rows);
        var offsets = ArrayPool<short>.Shared.Rent(rows);
        try
        {
            for (var r = 0; r < rows; r++)
            {
                var time = window.Timestamp(r);
                ticks[r] = time?.Ticks ?? 0;
                offsets[r] = time is { } t ? (short)t.Offset.TotalMinutes : NoTime;
            }

            LittleEndianBlock.Write<long>(ref writer, ticks.AsSpan(0, rows));
            LittleEndianBlock.Write<short>(ref writer, offsets.AsSpan(0, rows));
        }
        finally
        {
            ArrayPool<long>.Shared.Return(ticks);
            ArrayPool<short>.Shared.Return(offsets);
        }

        writer.WriteArrayHeader(window.Tags.Count);
        for (var t = 0; t < window.Tags.Count; t++)
        {
            LittleEndianBlock.Write<double>(ref writer, window.Column(t));
        }

        writer.WriteArrayHeader(window.Tags.Count);
        for (var t = 0; t < window.Tags.Count; t++)
        {
            LittleEndianBlock.Write(ref writer, window.Kinds(t));
        }
    }

    public IReadOnlyList<ProcessRow> Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        Expect(reader.ReadArrayHeader(), Parts, "parts");
        var names = new string[reader.ReadArrayHeader()];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = reader.ReadString() ?? throw new MessagePackSerializationException("a tag name of the window is nil");
        }

        var rows = reader.ReadInt32();
        if (rows < 0)
        {
            throw new MessagePackSerializationException($"the window has {rows} rows");
        }

        var times = Times(LittleEndianBlock.Read<long>(ref reader, rows, "ticks"), LittleEndianBlock.Read<short>(ref reader, rows, "offsets"));
        var values = new double[names.Length][];
        Expect(reader.ReadArrayHeader(), names.Length, "value columns");
        for (var t = 0; t < names.Length; t++)
        {
            values[t] = LittleEndianBlock.Read<double>(ref reader, rows, $"values of {names[t]}");
        }

        var kinds = new CellKind[names.Length][];
        Expect(reader.ReadArrayHeader(), names.Length, "kind columns");
        for (var t = 0; t < names.Length; t++)
        {
            kinds[t] = LittleEndianBlock.Read<CellKind>(ref reader, rows, $"kinds of {names[t]}");
        }

        try
        {
            return ProcessWindow.FromColumns(names, times, values, kinds);
        }
        catch (ArgumentException ex)
        {
            throw new MessagePackSerializationException($"the window is broken: {ex.Message}", ex);
        }
    }

    private static DateTimeOffset?[] Times(long[] ticks, short[] offsets)
    {
        var times = new DateTimeOffset?[ticks.Length];
        for (var r = 0; r < times.Length; r++)
        {
            if (offsets[r] == NoTime)
            {
                times[r] = ticks[r] == 0 ? null : throw new MessagePackSerializationException($"row {r} has ticks {ticks[r]} but no time");
                continue;
            }

            try
            {
                times[r] = new DateTimeOffset(ticks[r], TimeSpan.FromMinutes(offsets[r]));
            }
            catch (ArgumentException ex)
            {
                throw new MessagePackSerializationException($"row {r}'s time ({ticks[r]} ticks at {offsets[r]} minutes) is out of range", ex);
            }
        }

        return times;
    }

    private static void Expect(int count, int expected, string what)
    {
        if (count != expected)
        {
            throw new MessagePackSerializationException($"the window has {count} {what}, not {expected}");
        }
    }
}
