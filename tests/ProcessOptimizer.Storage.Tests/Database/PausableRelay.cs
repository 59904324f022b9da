using System.Net;
using System.Net.Sockets;

namespace ProcessOptimizer.Storage.Tests.Database;

/// <summary>
/// A TCP relay in front of the test's PostgreSQL that can stop relaying as a server stopped with SIGSTOP does: the
/// connections it has stay open and take what is sent, new ones are accepted (the kernel completes them for a stopped
/// process), and nothing is answered until it resumes. A storage test can so hang the database in the middle of a
/// statement without signalling the server that other tests share.
/// </summary>
internal sealed class PausableRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _host;
    private readonly int _port;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _sockets = [];
    private readonly Task _accepting;
    private volatile TaskCompletionSource _running = Running();

    public PausableRelay(string upstream)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(upstream);
        _host = builder.Host ?? "127.0.0.1";
        _port = builder.Port;
        _listener.Start();
        ConnectionString = new Npgsql.NpgsqlConnectionStringBuilder(upstream) { Host = "127.0.0.1", Port = ((IPEndPoint)_listener.LocalEndpoint).Port }.ConnectionString;
        _accepting = AcceptAsync();
    }

    /// <summary>The upstream's connection string, through the relay.</summary>
    public string ConnectionString { get; }

    /// <summary>Stops answering: every byte either way waits until <see cref="Resume"/>.</summary>
    public void Pause()
    {
        if (_running.Task.IsCompleted)
        {
            _running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void Resume() => _running.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_sockets)
        {
            foreach (var socket in _sockets)
            {
                socket.Dispose();
            }
        }

        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private static TaskCompletionSource Running()
    {
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        running.SetResult();
        return running;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptSocketAsync(_stop.Token);
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        lock (_sockets)
        {
            _sockets.Add(client);
            _sockets.Add(server);
        }

        try
        {
            await _running.Task.WaitAsync(_stop.Token);
            await server.ConnectAsync(_host, _port, _stop.Token);
            await Task.WhenAny(PumpAsync(client, server), PumpAsync(server, client));
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The relay stopped, or a side closed: the other side is closed below, as a dead server's would be.
        }
        finally
        {
            client.Dispose();
            server.Dispose();
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16384];
        while (true)
        {
            var read = await from.ReceiveAsync(buffer, _stop.Token);
            if (read == 0)
            {
                return;
            }

            await _running.Task.WaitAsync(_stop.Token);
            await to.SendAsync(buffer.AsMemory(0, read), _stop.Token);
        }
    }
}
