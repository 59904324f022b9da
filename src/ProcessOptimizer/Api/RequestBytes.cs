using System.Buffers;

namespace ProcessOptimizer.Api;

/// <summary>A request body read whole into a pooled buffer, which <see cref="Dispose"/> gives back.</summary>
internal sealed class RequestBytes : IDisposable
{
    // A body is read in pieces up to this size first, however long it says it is: the length is the sender's word.
    private const int FirstBuffer = 64 * 1024;

    private byte[] _buffer;
    private int _count;

    private RequestBytes(byte[] buffer) => _buffer = buffer;

    /// <summary>The body, without a UTF-8 byte order mark, which JSON readers of a stream skip too.</summary>
    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, _count) is var all && all.Span.StartsWith("\uFEFF"u8) ? all[3..] : all;

    /// <remarks>The server's body size limit applies while reading: a longer body ends it with its exception (413).</remarks>
    public static async Task<RequestBytes> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var bytes = new RequestBytes(ArrayPool<byte>.Shared.Rent((int)Math.Clamp(request.ContentLength ?? 0, 1024, FirstBuffer)));
        try
        {
            while (true)
            {
                if (bytes._count == bytes._buffer.Length)
                {
                    bytes.Grow();
                }

                var read = await request.Body.ReadAsync(bytes._buffer.AsMemory(bytes._count), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return bytes;
                }

                bytes._count += read;
            }
        }
        catch
        {
            bytes.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    private void Grow()
    {
        var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
        _buffer.AsSpan(0, _count).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }
}
