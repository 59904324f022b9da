using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ProcessOptimizer.Benchmarks;

/// <summary>
/// One keep-alive HTTP/1.1 connection of the load client, used by one thread at a time: it sends a request and
/// reads the answer's head and body (by <c>Content-Length</c> or chunked) into a buffer it reuses.
/// </summary>
internal sealed class HttpConnection : IDisposable
{
    private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();

    private readonly Socket _socket;
    private byte[] _buffer = new byte[64 * 1024];
    // The bytes read and not yet consumed are _buffer[_start.._end].
    private int _start;
    private int _end;

    public HttpConnection(EndPoint endPoint, int timeoutMs)
    {
        _socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveTimeout = timeoutMs, SendTimeout = timeoutMs };
        _socket.Connect(endPoint);
    }

    /// <exception cref="IOException">The server closed the connection, timed out, or answered something that is not HTTP/1.1.</exception>
    public HttpAnswer Exchange(byte[] request)
    {
        if (_start != _end)
        {
            throw new IOException("the server sent more than its answer");
        }

        // One exchange at a time: each answer is read from the start of the buffer.
        (_start, _end) = (0, 0);
        try
        {
            _socket.Send(request);
            var head = ReadHead();
            var (status, length, chunked, close) = ParseHead(head);
            var bodyStart = _start;
            int bodyEnd;
            if (chunked)
            {
                bodyEnd = ReadChunks();
            }
            else
            {
                Fill(length);
                _start += length;
                bodyEnd = _start;
            }

            // Only a failure's text is decoded; a success's body is dropped unread.
            var text = status is < 200 or > 299 ? Encoding.UTF8.GetString(_buffer, bodyStart, bodyEnd - bodyStart) : "";
            return new HttpAnswer(status, !close, text);
        }
        catch (SocketException ex)
        {
            throw new IOException($"the connection failed: {ex.Message}", ex);
        }
    }

    public void Dispose() => _socket.Dispose();

    private ReadOnlySpan<byte> ReadHead()
    {
        while (true)
        {
            var at = _buffer.AsSpan(_start, _end - _start).IndexOf(HeadEnd);
            if (at >= 0)
            {
                var head = _buffer.AsSpan(_start, at);
                _start += at + HeadEnd.Length;
                return head;
            }

            Receive();
        }
    }

    private static (int Status, int Length, bool Chunked, bool Close) ParseHead(ReadOnlySpan<byte> head)
    {
        // "HTTP/1.1 200 OK"
        if (!head.StartsWith("HTTP/1.1 "u8) || !Utf8Parser.TryParse(head[9..], out int status, out _))
        {
            throw new IOException($"not an HTTP/1.1 answer: '{Encoding.ASCII.GetString(head[..Math.Min(head.Length, 40)])}'");
        }

        var (length, chunked, close) = (0, false, false);
        foreach (var range in head.Split("\r\n"u8))
        {
            var line = head[range];
            var colon = line.IndexOf((byte)':');
            if (colon < 0)
            {
                continue;
            }

            var name = Encoding.ASCII.GetString(line[..colon]);
            var value = line[(colon + 1)..].Trim((byte)' ');
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                length = Utf8Parser.TryParse(value, out int parsed, out _) ? parsed : throw new IOException("a Content-Length that is not a number");
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                chunked = value.SequenceEqual("chunked"u8);
            }
            else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                close = value.SequenceEqual("close"u8);
            }
        }

        return (status, length, chunked, close);
    }

    // Chunks are "SIZE-IN-HEX\r\n" DATA "\r\n", ended by a chunk of size 0 and an empty line (no trailers are sent).
    // Each chunk's data is moved down over the framing before it, so the body lies in one piece from where it
    // began to the returned end.
    private int ReadChunks()
    {
        var write = _start;
        while (true)
        {
            var line = LineAt(_start);
            if (!Utf8Parser.TryParse(_buffer.AsSpan(_start, line), out int size, out _, 'x'))
            {
                throw new IOException("a chunk size that is not hexadecimal");
            }

            _start += line + 2;
            Fill(size + 2);
            Buffer.BlockCopy(_buffer, _start, _buffer, write, size);
            write += size;
            _start += size + 2;
            if (size == 0)
            {
                return write;
            }
        }
    }

    private int LineAt(int from)
    {
        while (true)
        {
            var at = _buffer.AsSpan(from, _end - from).IndexOf("\r\n"u8);
            if (at >= 0)
            {
                return at;
            }

            Receive();
        }
    }

    // Until at least count bytes past _start are in the buffer.
    private void Fill(int count)
    {
        while (_end - _start < count)
        {
            Receive();
        }
    }

    private void Receive()
    {
        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        var read = _socket.Receive(_buffer, _end, _buffer.Length - _end, SocketFlags.None);
        _end += read > 0 ? read : throw new IOException("the server closed the connection");
    }
}
