using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MessagePack;

namespace ProcessOptimizer.Workers;

/// <summary>
/// An array of fixed-size numbers as one MessagePack bin of their little-endian bytes: writing and reading it is a
/// copy of memory (on a little-endian machine), where a MessagePack number at a time is a call and a type byte each.
/// </summary>
internal static class LittleEndianBlock
{
    public static void Write<T>(ref MessagePackWriter writer, ReadOnlySpan<T> values)
        where T : unmanaged
    {
        var bytes = MemoryMarshal.AsBytes(values);
        writer.WriteBinHeader(bytes.Length);
        var target = writer.GetSpan(bytes.Length)[..bytes.Length];
        bytes.CopyTo(target);
        ToLittleEndian(target, Unsafe.SizeOf<T>());
        writer.Advance(bytes.Length);
    }

    /// <summary>Reads a block of exactly <paramref name="count"/> numbers.</summary>
    /// <exception cref="T:MessagePack.MessagePackSerializationException">The block is nil or of another length: a broken peer.</exception>
    public static T[] Read<T>(ref MessagePackReader reader, int count, string what)
        where T : unmanaged
    {
        var bytes = reader.ReadBytes() ?? throw new MessagePackSerializationException($"the window's {what} are nil");
        var size = Unsafe.SizeOf<T>();
        if (bytes.Length != (long)count * size)
        {
            throw new MessagePackSerializationException($"the window's {what} are {bytes.Length} bytes, not {count} of {size}");
        }

        var values = new T[count];
        var target = MemoryMarshal.AsBytes(values.AsSpan());
        bytes.CopyTo(target);
        ToLittleEndian(target, size);
        return values;
    }

    // The channel's byte order is little-endian whatever the machine's: reversing each number's bytes goes either way.
    private static void ToLittleEndian(Span<byte> bytes, int size)
    {
        if (BitConverter.IsLittleEndian || size == 1)
        {
            return;
        }

        for (var i = 0; i < bytes.Length; i += size)
        {
            bytes.Slice(i, size).Reverse();
        }
    }
}
