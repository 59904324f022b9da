using MessagePack;
using MessagePack.Formatters;
using ProcessOptimizer.Core.Cycle;

namespace ProcessOptimizer.Workers;

/// <summary>
/// A data window on the worker channel: every tag name once, then each row as its time and (tag number, value)
/// pairs in the row's own order. Written by name, a window of 90 rows repeats the same 14 names 90 times, and
/// encoding and decoding them was most of the channel's cost.
/// </summary>
/// <remarks>
/// The rows come back equal to those sent: the same times and offsets, the same tags in the same order, null
/// where a value is null. A tag number outside the table is a broken peer, reported as a MessagePack serialization exception.
/// </remarks>
public sealed class WindowFormatter : IMessagePackFormatter<IReadOnlyList<ProcessRow>>
{
    public void Serialize(ref MessagePackWriter writer, IReadOnlyList<ProcessRow> value, MessagePackSerializerOptions options)
    {
        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new List<string>();
        foreach (var row in value)
        {
            foreach (var tag in row.Values.Keys)
            {
                if (numbers.TryAdd(tag, names.Count))
                {
                    names.Add(tag);
                }
            }
        }

        writer.WriteArrayHeader(names.Count);
        foreach (var name in names)
        {
            writer.Write(name);
        }

        writer.WriteArrayHeader(value.Count);
        foreach (var row in value)
        {
            if (row.Timestamp is { } time)
            {
                writer.WriteArrayHeader(2);
                writer.Write(time.Ticks);
                writer.Write((int)time.Offset.TotalMinutes);
            }
            else
            {
                writer.WriteNil();
            }

            writer.WriteMapHeader(row.Values.Count);
            foreach (var (tag, number) in row.Values)
            {
                writer.Write(numbers[tag]);
                if (number is { } v)
                {
                    writer.Write(v);
                }
                else
                {
                    writer.WriteNil();
                }
            }
        }
    }

    public IReadOnlyList<ProcessRow> Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        var names = new string[reader.ReadArrayHeader()];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = reader.ReadString() ?? throw new MessagePackSerializationException("a tag name of the window is nil");
        }

        var rows = new ProcessRow[reader.ReadArrayHeader()];
        for (var r = 0; r < rows.Length; r++)
        {
            DateTimeOffset? time = null;
            if (!reader.TryReadNil())
            {
                _ = reader.ReadArrayHeader();
                var ticks = reader.ReadInt64();
                time = new DateTimeOffset(ticks, TimeSpan.FromMinutes(reader.ReadInt32()));
            }

            var count = reader.ReadMapHeader();
            var values = new Dictionary<string, double?>(count, StringComparer.Ordinal);
            for (var i = 0; i < count; i++)
            {
                var number = reader.ReadInt32();
                if ((uint)number >= (uint)names.Length)
                {
                    throw new MessagePackSerializationException($"tag number {number} is outside the window's {names.Length} names");
                }

                values.Add(names[number], reader.TryReadNil() ? null : reader.ReadDouble());
            }

            rows[r] = new ProcessRow(time, values);
        }

        return rows;
    }
}
