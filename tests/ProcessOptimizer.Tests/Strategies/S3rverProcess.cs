using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ProcessOptimizer.Tests.Strategies;

/// <summary>An s3rver of the test's own, so that a test can stop and restart it; its data folder survives restarts.</summary>
internal sealed class S3rverProcess : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "po-s3rver-" + Guid.NewGuid().ToString("n"));
    private Process? _process;

    public S3rverProcess()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        Directory.CreateDirectory(_folder);
    }

    public int Port { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    public async Task StartAsync()
    {
        var script = Path.Combine(TestServers.Root, "tools", "s3rver", "node_modules", "s3rver", "bin", "s3rver.js");
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { script, "-d", _folder, "-a", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--silent" })
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("cannot start node for s3rver");
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"s3rver did not listen on {Endpoint}: {await _process.StandardError.ReadToEndAsync()}");
    }

    /// <summary>SIGSTOP: the server keeps its socket and answers nothing, as a hung one does.</summary>
    public void Pause() => Faults.Signals.Pause([_process!.Id]);

    public void Resume()
    {
        if (_process is { HasExited: false })
        {
            Faults.Signals.Resume([_process.Id]);
        }
    }

    public void Stop()
    {
        if (_process is { HasExited: false })
        {
            Resume();
        }

        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process?.Dispose();
        _process = null;
    }

    public void Dispose()
    {
        Stop();
        Directory.Delete(_folder, recursive: true);
    }
}
