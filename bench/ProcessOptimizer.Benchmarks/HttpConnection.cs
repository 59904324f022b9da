using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ProcessOptimizer.Benchmarks;

/// <summary>
/// One keep-alive HTTP/1.1 connection of the load client over a non-blocking socket, with one request in flight:
/// <see cref="Send"/> starts a request, and the client's loop calls <see cref="Write"/> when the socket can take more
/// of it and <see cref="Read"/> when bytes have arrived, until the answer (head and body, by <c>Content-Length</c>
/// or chunked) is complete in the buffer it reuses.
/// </summary>
internal sealed class HttpConnection : IDisposable
{
    private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();

    private byte[] _buffer = new byte[64 * 1024];
    private byte[] _request = [];
    private int _sent;
    // The answer's bytes are _buffer[0.._end]; its head is parsed once whole, and a chunked body is moved down over
    // its framing as its chunks arrive, so the body lies in one piece at _buffer[_bodyStart.._bodyEnd].
    private int _end;
    private int _bodyStart = -1;
    private int _bodyEnd;
    private int _scan;
    private (int Status, int Length, bool Chunked, bool Close) _head;

    public HttpConnection(EndPoint endPoint)
    {
        Socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Socket.Connect(endPoint);
        Socket.Blocking = false;
    }

    public Socket Socket { get; }

    /// <summary>Whether part of the request is still to be written.</summary>
    public bool Writing => _sent < _request.Length;

    /// <summary>When the request in flight was started (a <see cref="System.Diagnostics.Stopwatch"/> timestamp).</summary>
    public long Started { get; private set; }

    /// <exception cref="IOException">The connection broke.</exception>
    public void Send(byte[] request, long started)
    {
        (_request, _sent, _end, _bodyStart, _bodyEnd, _scan, Started) = (request, 0, 0, -1, 0, 0, started);
        Write();
    }

    /// <summary>Writes what the socket takes of the request now.</summary>
    /// <exception cref="IOException">The connection broke.</exception>
    public void Write()
    {
        while (Writing)
        {
            var written = Socket.Send(_request, _sent, _request.Length - _sent, SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock)
            {
                return;
            }

            _sent += error == SocketError.Success ? written : throw new IOException($"the connection failed: {error}");
        }
    }

    /// <summary>Reads what has arrived, and returns the answer once it is complete.</summary>
    /// <returns>The answer, or null while more of it is to come.</returns>
    /// <exception cref="IOException">The server closed the connection, sent more than one answer, or something that is not HTTP/1.1.</exception>
    public HttpAnswer? Read()
    {
        while (true)
        {
            if (_end == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            var read = Socket.Receive(_buffer, _end, _buffer.Length - _end, SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock)
            {
                return Complete() ? Answer() : null;
            }

            _end += error != SocketError.Success ? throw new IOException($"the connection failed: {error}")
                : read > 0 ? read : throw new IOException("the server closed the connection");
        }
    }

    public void Dispose() => Socket.Dispose();

    private HttpAnswer Answer()
    {
        var (status, _, _, close) = _head;
        var body = _buffer.AsSpan(_bodyStart, _bodyEnd - _bodyStart);
        // A 200 must carry the whole JSON document: an answer cut short is a failure, not a fast request.
        var whole = body.TrimEnd("\r\n "u8) is [.., (byte)'}'];
        // Only a failure's text is decoded; a success's body is dropped unread.
        var text = status == 200 && whole ? "" : Encoding.UTF8.GetString(body[..Math.Min(body.Length, 300)]);
        return new HttpAnswer(status, whole, !close, text);
    }

    private bool Complete()
    {
        if (_bodyStart < 0)
        {
            var at = _buffer.AsSpan(0, _end).IndexOf(HeadEnd);
            if (at < 0)
            {
                return false;
            }

            _head = ParseHead(_buffer.AsSpan(0, at));
            (_bodyStart, _scan) = (at + HeadEnd.Length, at + HeadEnd.Length);
            _bodyEnd = _bodyStart;
        }

        if (!_head.Chunked)
        {
            var arrived = _end - _bodyStart;
            if (arrived > _head.Length)
            {
                throw new IOException("the server sent more than its answer");
            }

            _bodyEnd = _bodyStart + arrived;
            return arrived == _head.Length;
        }

        return ChunksComplete();
    }

    // Chunks are "SIZE-IN-HEX\r\n" DATA "\r\n", ended by a chunk of size 0 and an empty line (no trailers are sent).
    // A chunk is taken only once it has arrived whole; _scan is where the next one starts.
    private bool ChunksComplete()
    {
        while (true)
        {
            var line = _buffer.AsSpan(_scan, _end - _scan).IndexOf("\r\n"u8);
            if (line < 0)
            {
                return false;
            }

            if (!Utf8Parser.TryParse(_buffer.AsSpan(_scan, line), out int size, out _, 'x'))
            {
                throw new IOException("a chunk size that is not hexadecimal");
            }

            var data = _scan + line + 2;
            if (_end - data < size + 2)
            {
                return false;
            }

            Buffer.BlockCopy(_buffer, data, _buffer, _bodyEnd, size);
            _bodyEnd += size;
            _scan = data + size + 2;
            if (size == 0)
            {
                return _scan == _end ? true : throw new IOException("the server sent more than its answer");
            }
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

            var name = line[..colon];
            var value = line[(colon + 1)..].Trim((byte)' ');
            if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
            {
                length = Utf8Parser.TryParse(value, out int parsed, out _) ? parsed : throw new IOException("a Content-Length that is not a number");
            }
            else if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
            {
                chunked = value.SequenceEqual("chunked"u8);
            }
            else if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
            {
                close = value.SequenceEqual("close"u8);
            }
        }

        return (status, length, chunked, close);
    }
}
