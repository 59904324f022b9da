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
    public const int Version = 5;

    // A kiln window and its result are a few kilobytes; anything near this is a broken peer, not a message.
    private const int MaxFrameBytes = 64 * 1024 * 1024;

    // Envelopes have numbered keys; the cycle's result travels contractless, by property name, so no copy of it
    // has to be kept in step with the core. The window has a formatter of its own (WindowFormatter).
    private static readonly MessagePackSerializerOptions Options = ContractlessStandardResolver.Options;

    public static async Task WriteAsync<T>(Stream stream, T message, CancellationToken cancellationToken)
    {
        // One write per frame, from a pooled buffer: a window is tens of kilobytes, sent for every solve.
        var body = MessagePackSerializer.Serialize(message, Options, cancellationToken);
        var frame = ArrayPool<byte>.Shared.Rent(4 + body.Length);
        try
        {
            BinaryPrimitives.WriteInt32LittleEndian(frame, body.Length);
            body.CopyTo(frame, 4);
            await stream.WriteAsync(frame.AsMemory(0, 4 + body.Length), cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    /// <returns>The next message, or null when the peer closed the channel between messages.</returns>
    /// <exception cref="InvalidDataException">The frame is not a message of this protocol version.</exception>
    public static async Task<T?> ReadAsync<T>(Stream stream, CancellationToken cancellationToken)
        where T : class, IWorkerMessage
    {
        var header = new byte[4];
        var read = await stream.ReadAtLeastAsync(header, 4, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            return null;
        }

        var length = read == 4 ? BinaryPrimitives.ReadInt32LittleEndian(header) : throw new EndOfStreamException("the channel closed inside a frame header");
        if (length is <= 0 or > MaxFrameBytes)
        {
            throw new InvalidDataException($"a {typeof(T).Name} frame of {length} bytes is out of range");
        }

        // The message copies what it keeps, so the frame's buffer goes back to the pool at once.
        var body = ArrayPool<byte>.Shared.Rent(length);
        T message;
        try
        {
            await stream.ReadExactlyAsync(body.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            message = MessagePackSerializer.Deserialize<T>(body.AsMemory(0, length), Options, cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(body);
        }

        return message.Protocol == Version
            ? message
            : throw new InvalidDataException($"the peer speaks worker protocol {message.Protocol}, this side {Version}");
    }
}
