using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ProcessOptimizer.Storage.Tests;

namespace ProcessOptimizer.Tests.Strategies;

/// <summary>An s3rver of the test's own, so that a test can stop and restart it; its data folder survives restarts.</summary>
internal sealed class S3rverProcess : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "po-s3rver-" + Guid.NewGuid().ToString("n"));
    private readonly string _script;
    private Process? _process;

    /// <param name="script">The server's script: s3rver's own unless a test gives a stand-in (one that never listens).</param>
    public S3rverProcess(string? script = null)
    {
        _script = script ?? Path.Combine(TestServers.Root, "tools", "s3rver", "node_modules", "s3rver", "bin", "s3rver.js");
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        Directory.CreateDirectory(_folder);
    }

    public int Port { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    /// <summary>Starts the server and waits until it accepts a connection.</summary>
    /// <param name="deadline">How long it may take to listen: <see cref="ServerStep.Deadline"/> unless given.</param>
    /// <exception cref="TimeoutException">It did not listen in time; it is stopped.</exception>
    /// <exception cref="InvalidOperationException">It exited first; the message holds what it wrote to stderr.</exception>
    public async Task StartAsync(TimeSpan? deadline = null)
    {
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { _script, "-d", _folder, "-a", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--silent" })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start node for s3rver");
        _process = process;
        var errors = new StringBuilder();
        process.ErrorDataReceived += (_, line) =>
        {
            lock (errors)
            {
                errors.AppendLine(line.Data);
            }
        };

        // Both pipes are drained as the server writes, as a full pipe would stop it; what stderr said is used only once
        // the process has exited, as the stream of one still running never ends (waiting for that end held a run once).
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await ServerStep.RunAsync("s3rver", Endpoint, "the first connection after its start", async cancellationToken =>
            {
                while (true)
                {
                    if (process.HasExited)
                    {
                        await process.WaitForExitAsync(cancellationToken);
                        string said;
                        lock (errors)
                        {
                            said = errors.ToString();
                        }

                        throw new InvalidOperationException($"it exited with code {process.ExitCode} before it listened: {said}");
                    }

                    try
                    {
                        using var client = new TcpClient();
                        await client.ConnectAsync(IPAddress.Loopback, Port, cancellationToken);
                        return;
                    }
                    catch (SocketException)
                    {
                        await Task.Delay(100, cancellationToken);
                    }
                }
            }, deadline);
        }
        catch
        {
            // A server that never listened must not outlive the test that gave up on it.
            Stop();
            throw;
        }
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
