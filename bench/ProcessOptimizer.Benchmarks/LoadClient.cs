using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ProcessOptimizer.Benchmarks;

/// <summary>
/// The load generator's HTTP side, kept lean because it shares the two cores with the service it measures: one
/// thread drives every client's HTTP/1.1 keep-alive connection over non-blocking sockets, waiting in one
/// <c>Socket.Select</c> for whichever answers arrive. Each client has one request in flight; the request
/// (line, headers and body) is encoded once, and an answer is read into its connection's buffer and dropped.
/// </summary>
/// <remarks>
/// A thread per client blocked in its socket cost 0.13-0.2 ms of CPU per request at 8 clients and 0.47-1.0 ms at
/// 32, against a 2-core budget of a few milliseconds, and took it more from a service whose cores were both busy
/// (2 workers) than from one waiting on one worker's solve: every answer woke a thread of its own. One thread
/// wakes once for all the answers that have arrived. <see cref="HttpClient"/> costs more still (0.4-0.8 ms at
/// 1 client): it goes through the socket engine and the thread pool, and parses and keeps every header.
/// </remarks>
internal sealed class LoadClient
{
    private readonly EndPoint _endPoint;
    private readonly byte[] _request;
    private readonly int _timeoutMicroseconds;

    /// <param name="timeout">How long the client waits with no answer arriving on any connection before it gives up.</param>
    public LoadClient(string baseUrl, byte[] body, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(body);
        var uri = new Uri(baseUrl);
        _endPoint = new IPEndPoint(IPAddress.Parse(uri.Host), uri.Port);
        _timeoutMicroseconds = (int)(timeout.TotalMilliseconds * 1000);
        var head = Encoding.ASCII.GetBytes($"POST /optimize HTTP/1.1\r\nHost: {uri.Authority}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n");
        _request = [.. head, .. body];
    }

    /// <summary>
    /// Sends <paramref name="requests"/> <c>POST /optimize</c> with the body from <paramref name="clients"/> fresh
    /// connections, each with one request in flight, on the calling thread; after <paramref name="limit"/> no request is
    /// started, and those in flight are awaited.
    /// </summary>
    /// <remarks>
    /// Fresh connections per run: one left idle through another service's chunks may pass Kestrel's keep-alive timeout
    /// on a loaded machine and be closed under the next. An answer other than a 200 with its whole body is counted as
    /// a failure and shown on the error stream.
    /// </remarks>
    /// <exception cref="IOException">A connection broke, or no answer arrived within the timeout.</exception>
    public LoadRun Run(int clients, int requests, TimeSpan limit)
    {
        var run = new LoadRun(Math.Min(requests, 1 << 16));
        var wall = Stopwatch.StartNew();
        var started = 0;
        var connections = new Dictionary<Socket, HttpConnection>();
        try
        {
            for (var i = 0; i < clients && started < requests; i++, started++)
            {
                var connection = new HttpConnection(_endPoint);
                connections.Add(connection.Socket, connection);
                connection.Send(_request, Stopwatch.GetTimestamp());
            }

            var (readable, writable) = (new List<Socket>(clients), new List<Socket>(clients));
            while (connections.Count > 0)
            {
                readable.Clear();
                writable.Clear();
                foreach (var (socket, connection) in connections)
                {
                    (connection.Writing ? writable : readable).Add(socket);
                }

                Socket.Select(readable, writable, null, _timeoutMicroseconds);
                if (readable.Count == 0 && writable.Count == 0)
                {
                    throw new IOException($"no answer from {_endPoint} within {_timeoutMicroseconds / 1_000_000} s");
                }

                foreach (var socket in writable)
                {
                    connections[socket].Write();
                }

                foreach (var socket in readable)
                {
                    var connection = connections[socket];
                    if (connection.Read() is not { } answer)
                    {
                        continue;
                    }

                    run.Add(Stopwatch.GetElapsedTime(connection.Started).TotalMilliseconds, answer);
                    connections.Remove(socket);
                    if (started < requests && wall.Elapsed < limit)
                    {
                        started++;
                        var next = answer.KeepAlive ? connection : new HttpConnection(_endPoint);
                        if (!answer.KeepAlive)
                        {
                            connection.Dispose();
                        }

                        connections.Add(next.Socket, next);
                        next.Send(_request, Stopwatch.GetTimestamp());
                    }
                    else
                    {
                        connection.Dispose();
                    }
                }
            }

            return run;
        }
        catch (SocketException ex)
        {
            throw new IOException($"the connection to {_endPoint} failed: {ex.Message}", ex);
        }
        finally
        {
            foreach (var connection in connections.Values)
            {
                connection.Dispose();
            }
        }
    }
}
