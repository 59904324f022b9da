using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace ProcessOptimizer.Benchmarks;

/// <summary>
/// The load generator's HTTP side, kept lean because it shares the two cores with the service it measures: an
/// HTTP/1.1 keep-alive client over plain sockets, one blocking connection per client thread. The request (line,
/// headers and body) is encoded once; an answer is read into the connection's buffer and dropped.
/// </summary>
/// <remarks>
/// A blocking read puts the client's thread to sleep until the answer arrives and wakes only it, where
/// <see cref="HttpClient"/> goes through the socket engine and the thread pool, and parses and keeps every header:
/// 0.4-0.8 ms of CPU per request against a 2-core budget of a few milliseconds.
/// </remarks>
internal sealed class LoadClient : IDisposable
{
    private readonly EndPoint _endPoint;
    private readonly byte[] _request;
    private readonly int _timeoutMs;
    private readonly ConcurrentBag<HttpConnection> _idle = [];

    public LoadClient(string baseUrl, byte[] body, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(body);
        var uri = new Uri(baseUrl);
        _endPoint = new IPEndPoint(IPAddress.Parse(uri.Host), uri.Port);
        _timeoutMs = (int)timeout.TotalMilliseconds;
        var head = Encoding.ASCII.GetBytes($"POST /optimize HTTP/1.1\r\nHost: {uri.Authority}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n");
        _request = [.. head, .. body];
    }

    /// <summary>Sends one <c>POST /optimize</c> with the body on an idle connection (or a new one) and reads its answer to the end.</summary>
    /// <returns>Whether the answer was a success status; a failure's answer is shown.</returns>
    /// <exception cref="IOException">The connection broke or timed out; it is dropped.</exception>
    public bool Optimize()
    {
        var connection = _idle.TryTake(out var idle) ? idle : new HttpConnection(_endPoint, _timeoutMs);
        HttpAnswer answer;
        try
        {
            answer = connection.Exchange(_request);
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        if (answer.KeepAlive)
        {
            _idle.Add(connection);
        }
        else
        {
            connection.Dispose();
        }

        if (answer.Status is < 200 or > 299)
        {
            // Rare, and the reason matters more than its cost: a failure is counted and its answer shown.
            Console.Error.WriteLine($"{answer.Status}: {answer.Text[..Math.Min(answer.Text.Length, 300)]}");
            return false;
        }

        return true;
    }

    public void Dispose()
    {
        while (_idle.TryTake(out var connection))
        {
            connection.Dispose();
        }
    }
}
