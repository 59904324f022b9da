using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ProcessOptimizer.Benchmarks;

/// <summary>
/// The load generator's HTTP side, kept lean because it shares the two cores with the service it measures: one
/// thread drives every client's HTTP/1.1 keep-alive connection over non-blocking sockets, waiting in one
/// <see cref="Epoll"/> for whichever answers arrive. Each client has one request in flight; the request
/// (line, headers and body) is encoded once, and an answer is read into its connection's buffer and dropped.
/// </summary>
/// <remarks>
/// A thread per client blocked in its socket woke a thread for every answer; <c>Socket.Select</c> on one thread
/// hands the kernel every connection on every wait. Side by side on one service with 2 workers (load average 20-27
/// from other work), client CPU per request at 1/8/32 clients was 0.14-0.15/0.11/0.19-0.21 ms with a thread per
/// client, 0.16-0.17/0.13-0.14/0.20-0.21 with Select and 0.10-0.11/0.10-0.11/0.17-0.20 with epoll: most of what
/// remains is the kernel's loopback TCP. <see cref="HttpClient"/> costs more still (0.4-0.8 ms at 1 client): it
/// goes through the socket engine and the thread pool, and parses and keeps every header.
/// </remarks>
internal sealed class LoadClient
{
    private readonly EndPoint _endPoint;
    private readonly byte[] _request;
    private readonly int _timeoutMs;

    /// <param name="timeout">How long the client waits with no answer arriving on any connection before it gives up.</param>
    public LoadClient(string baseUrl, byte[] body, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(body);
        var uri = new Uri(baseUrl);
        _endPoint = new IPEndPoint(IPAddress.Parse(uri.Host), uri.Port);
        _timeoutMs = (int)timeout.TotalMilliseconds;
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
        var (started, active) = (0, 0);
        // Connection i is told by the kernel as id i, and mask[i] is what it is registered for (0: not yet).
        var connections = new HttpConnection?[clients];
        var masks = new uint[clients];
        var ready = new int[clients];
        using var epoll = new Epoll(clients);
        void Start(int i, HttpConnection connection)
        {
            connections[i] = connection;
            connection.Send(_request, Stopwatch.GetTimestamp());
            var wanted = connection.Writing ? Epoll.Readable | Epoll.Writable : Epoll.Readable;
            if (masks[i] == 0)
            {
                epoll.Watch(connection.Socket, i, wanted);
            }
            else if (masks[i] != wanted)
            {
                epoll.Change(connection.Socket, i, wanted);
            }

            masks[i] = wanted;
        }

        try
        {
            for (; active < clients && started < requests; active++, started++)
            {
                Start(active, new HttpConnection(_endPoint));
            }

            while (active > 0)
            {
                var count = epoll.Wait(ready, _timeoutMs);
                if (count == 0)
                {
                    throw new IOException($"no answer from {_endPoint} within {_timeoutMs / 1000} s");
                }

                foreach (var i in ready.AsSpan(0, count))
                {
                    if (connections[i] is not { } connection)
                    {
                        continue;
                    }

                    if (connection.Writing)
                    {
                        connection.Write();
                        if (!connection.Writing)
                        {
                            epoll.Change(connection.Socket, i, masks[i] = Epoll.Readable);
                        }

                        continue;
                    }

                    if (connection.Read() is not { } answer)
                    {
                        continue;
                    }

                    run.Add(Stopwatch.GetElapsedTime(connection.Started).TotalMilliseconds, answer);
                    if (started < requests && wall.Elapsed < limit)
                    {
                        started++;
                        if (!answer.KeepAlive)
                        {
                            // A closed socket leaves the epoll set by itself; the new one is registered afresh.
                            connection.Dispose();
                            (connection, masks[i]) = (new HttpConnection(_endPoint), 0);
                        }

                        Start(i, connection);
                    }
                    else
                    {
                        connection.Dispose();
                        connections[i] = null;
                        active--;
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
            foreach (var connection in connections)
            {
                connection?.Dispose();
            }
        }
    }
}
