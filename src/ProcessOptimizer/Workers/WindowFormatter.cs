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
/// The rows come back as a <see cref="ProcessWindow"/> with the columns <see cref="ProcessWindow.Of"/> makes of the rows
/// sent: the same times and offsets, the same tags and values, null where a value is null; within a row, the tags
/// come in the window's order (that of their first appearance). A tag number outside the table, or a tag named twice
/// in the table or in one row, is a broken peer, reported as a MessagePack serialization exception.
/// </remarks>
public sealed class WindowFormatter : IMessagePackFormatter<IReadOnlyList<ProcessRow>>
{
    public void Serialize(ref MessagePackWriter writer, IReadOnlyList<ProcessRow> value, MessagePackSerializerOptions options)
    {
        // A window (the loop's, read from the database) is written from its cells: its rows would be dictionaries
        // made on demand, one per row, each time they were read.
        var window = value as ProcessWindow;
        var tags = new TagNumbers();
        for (var r = 0; r < value.Count; r++)
        {
            if (window is null)
            {
                var position = 0;
                foreach (var tag in value[r].Values.Keys)
                {
                    tags.Of(tag, position++);
                }
            }
            else
            {
                for (var t = 0; t < window.Tags.Count; t++)
                {
                    if (window.Has(r, t))
                    {
                        tags.Of(window.Tags[t], t);
                    }
                }
            }
        }

        writer.WriteArrayHeader(tags.Names.Count);
        foreach (var name in tags.Names)
        {
            writer.Write(name);
        }

        writer.WriteArrayHeader(value.Count);
        for (var r = 0; r < value.Count; r++)
        {
            if (window is null)
            {
                WriteRow(ref writer, value[r], tags);
            }
            else
            {
                WriteRow(ref writer, window, r, tags);
            }
        }
    }

    private static void WriteRow(ref MessagePackWriter writer, ProcessRow row, TagNumbers tags)
    {
        WriteTime(ref writer, row.Timestamp);
        writer.WriteMapHeader(row.Values.Count);
        var position = 0;
        foreach (var (tag, number) in row.Values)
        {
            writer.Write(tags.Of(tag, position++));
            WriteValue(ref writer, number);
        }
    }

    // The row's cells in the window's order, as the window's own row (made on demand) would list them.
    private static void WriteRow(ref MessagePackWriter writer, ProcessWindow window, int r, TagNumbers tags)
    {
        WriteTime(ref writer, window.Timestamp(r));
        var count = 0;
        for (var t = 0; t < window.Tags.Count; t++)
        {
            count += window.Has(r, t) ? 1 : 0;
        }

        writer.WriteMapHeader(count);
        for (var t = 0; t < window.Tags.Count; t++)
        {
            if (window.Has(r, t))
            {
                writer.Write(tags.Of(window.Tags[t], t));
                WriteValue(ref writer, window.Value(r, t));
            }
        }
    }

    private static void WriteTime(ref MessagePackWriter writer, DateTimeOffset? timestamp)
    {
        if (timestamp is { } time)
        {
            writer.WriteArrayHeader(2);
            writer.Write(time.Ticks);
            writer.Write((int)time.Offset.TotalMinutes);
        }
        else
        {
            writer.WriteNil();
        }
    }

    private static void WriteValue(ref MessagePackWriter writer, double? value)
    {
        if (value is { } v)
        {
            writer.Write(v);
        }
        else
        {
            writer.WriteNil();
        }
    }

    // Read straight into the window by column, as the cycle reads it: no dictionary per row, and no second pass
    // (ProcessWindow.Of) to turn the rows into columns. The names are in the order they first appear in the rows,
    // which is the window's order, so the columns are those ProcessWindow.Of makes from the same rows.
    public IReadOnlyList<ProcessRow> Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        var names = new string[reader.ReadArrayHeader()];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = reader.ReadString() ?? throw new MessagePackSerializationException("a tag name of the window is nil");
        }

        var window = new ProcessWindow(names, reader.ReadArrayHeader());
        for (var t = 0; t < names.Length; t++)
        {
            if (window.TagIndex(names[t]) != t)
            {
                throw new MessagePackSerializationException($"the window names tag {names[t]} twice");
            }
        }

        for (var r = 0; r < window.Count; r++)
        {
            if (!reader.TryReadNil())
            {
                _ = reader.ReadArrayHeader();
                var ticks = reader.ReadInt64();
                window.SetTime(r, new DateTimeOffset(ticks, TimeSpan.FromMinutes(reader.ReadInt32())));
            }

            for (var t = 0; t < names.Length; t++)
            {
                window.SetAbsent(r, t);
            }

            var count = reader.ReadMapHeader();
            for (var i = 0; i < count; i++)
            {
                var number = reader.ReadInt32();
                if ((uint)number >= (uint)names.Length)
                {
                    throw new MessagePackSerializationException($"tag number {number} is outside the window's {names.Length} names");
                }

                if (window.Has(r, number))
                {
                    throw new MessagePackSerializationException($"row {r} of the window holds tag {names[number]} twice");
                }

                window.Set(r, number, reader.TryReadNil() ? null : reader.ReadDouble());
            }
        }

        return window;
    }
}
