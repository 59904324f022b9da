using System.Net;
using System.Net.Sockets;

namespace ProcessOptimizer.Storage.Tests;

/// <summary>
/// A loopback "server" that accepts every connection and never answers nor closes it, as a hung server does:
/// the connect succeeds, and only a deadline on what follows ends the wait.
/// </summary>
internal sealed class SilentServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<TcpClient> _accepted = [];
    private readonly Task _accepting;

    public SilentServer()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    public void Dispose()
    {
        _listener.Stop();
        _accepting.Wait();
        lock (_accepted)
        {
            _accepted.ForEach(client => client.Dispose());
        }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync();
                lock (_accepted)
                {
                    _accepted.Add(client);
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Stop() ends the pending accept this way: the server is being disposed.
        }
    }
}
