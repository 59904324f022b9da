using System.Buffers;
using System.Buffers.Binary;
using MessagePack;
using MessagePack.Resolvers;

namespace ProcessOptimizer.Workers;

/// <summary>
/// The channel between the service and a solver worker: frames of a 4-byte little-endian length and one
/// MessagePack message. Every message carries <see cref="Version"/>; a peer that speaks another version is refused.
/// </summary>
internal static class WorkerProtocol
{
    // 4: a request carries the loop's warm start and a result the next one.
    // 5: the window travels as a tag table and numbered values (WindowFormatter).
    // 6: a worker says when its solve begins (SolveStarted) before it answers.
    // 7: the window travels column by column, each column one block of little-endian bytes (WindowFormatter).
    public const int Version = 7;

    // A kiln window and its result are a few kilobytes; anything near this is a broken peer, not a message.
    private const int MaxFrameBytes = 64 * 1024 * 1024;

    // Room for a kiln request (14 KB) or answer (4 KB) at once: the frame's header and body then come in one read.
    private const int ReadBufferBytes = 64 * 1024;

    // Envelopes have numbered keys; the cycle's result travels contractless, by property name, so no copy of it
    // has to be kept in step with the core. The window has a formatter of its own (WindowFormatter).
    private static readonly MessagePackSerializerOptions Options = ContractlessStandardResolver.Options;

    /// <summary>Writes one frame, blocking: both sides write whole small frames that the socket's buffer takes at once.</summary>
    /// <exception cref="InvalidDataException">The message is larger than a frame may be; nothing is written.</exception>
    public static void Write<T>(Stream stream, T message)
    {
        var (frame, length) = Frame(message);
        try
        {
            stream.Write(frame, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    /// <summary>
    /// The stream a side reads its peer's messages from: read without a buffer, each frame took two system calls on
    /// the request's path (its 4-byte header, then its body), where one takes a whole frame that has arrived.
    /// </summary>
    /// <remarks>
    /// Only for reading, on one thread: what a side writes goes to <paramref name="channel"/> itself. A frame's bytes
    /// read ahead stay in the buffer for the next <see cref="Read{T}"/>; disposing the reader disposes the channel.
    /// </remarks>
    public static BufferedStream Reader(Stream channel) => new(channel, ReadBufferBytes);

    /// <summary>Reads the next message, blocking: each side reads on a thread that sleeps in the read between messages.</summary>
    /// <returns>The next message, or null when the peer closed the channel between messages.</returns>
    /// <exception cref="InvalidDataException">The frame is not a message of this protocol version.</exception>
    public static T? Read<T>(Stream stream)
        where T : class, IWorkerMessage
    {
        Span<byte> header = stackalloc byte[4];
        var read = stream.ReadAtLeast(header, 4, throwOnEndOfStream: false);
        if (read == 0)
        {
            return null;
        }

        var length = Length<T>(header, read);
        var body = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            stream.ReadExactly(body, 0, length);
            return Decode<T>(body.AsMemory(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(body);
        }
    }

    // One write per frame, from a pooled buffer: a window is tens of kilobytes, sent for every solve. The caller returns the buffer.
    private static (byte[] Frame, int Length) Frame<T>(T message)
    {
        var body = MessagePackSerializer.Serialize(message, Options);
        // Refused here as the peer would refuse it, before a byte is sent: a window of millions of cells is not
        // written only to be cut off by the other side.
        _ = Length<T>(body.Length);
        var frame = ArrayPool<byte>.Shared.Rent(4 + body.Length);
        BinaryPrimitives.WriteInt32LittleEndian(frame, body.Length);
        body.CopyTo(frame, 4);
        return (frame, 4 + body.Length);
    }

    private static int Length<T>(ReadOnlySpan<byte> header, int read) =>
        Length<T>(read == 4 ? BinaryPrimitives.ReadInt32LittleEndian(header) : throw new EndOfStreamException("the channel closed inside a frame header"));

    private static int Length<T>(int length) =>
        length is <= 0 or > MaxFrameBytes
            ? throw new InvalidDataException($"a {typeof(T).Name} frame of {length} bytes is out of range (1 to {MaxFrameBytes})")
            : length;

    // The message copies what it keeps, so the frame's buffer can go back to the pool at once.
    private static T Decode<T>(ReadOnlyMemory<byte> body)
        where T : class, IWorkerMessage
    {
        var message = MessagePackSerializer.Deserialize<T>(body, Options);
        return message.Protocol == Version
            ? message
            : throw new InvalidDataException($"the peer speaks worker protocol {message.Protocol}, this side {Version}");
    }
}
