using System.Diagnostics;
using System.Text;
using ProcessOptimizer.Hosting;

namespace ProcessOptimizer.Tests.Scheduling;

/// <summary>
/// One service replica as a real process on a loopback port, as it runs in production: the built executable,
/// its console captured for the test's failure messages.
/// </summary>
public sealed class ReplicaProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ReplicaProcess(string instanceId, int port, Process process)
    {
        InstanceId = instanceId;
        _process = process;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string InstanceId { get; }

    public HttpClient Client { get; }

    public int Pid => _process.Id;

    /// <summary>The last lines the replica wrote.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                var text = _output.ToString();
                return text.Length > 200000 ? text[^200000..] : text;
            }
        }
    }

    public static ReplicaProcess Start(string instanceId, IReadOnlyList<string> settings)
    {
        var port = FreePort();
        var folder = Path.GetDirectoryName(typeof(ServiceHost).Assembly.Location)!;
        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(folder, "ProcessOptimizer.dll"), $"--Urls=http://127.0.0.1:{port}", $"--Scheduling:InstanceId={instanceId}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var setting in settings)
        {
            info.ArgumentList.Add(setting);
        }

        return new ReplicaProcess(instanceId, port, Process.Start(info)!);
    }

    /// <summary>SIGKILL to the replica and its solver workers (no shutdown, no goodbye to the cluster), until it is gone.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The exit code, once <see cref="HasExited"/>.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Waits for the replica to end by itself (after a SIGTERM); false when it is still running after <paramref name="limit"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan limit)
    {
        using var wait = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
