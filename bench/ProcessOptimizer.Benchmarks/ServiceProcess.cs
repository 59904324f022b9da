using System.Diagnostics;

namespace ProcessOptimizer.Benchmarks;

/// <summary>Starts the built service as a process of its own, its console drained and dropped.</summary>
internal static class ServiceProcess
{
    /// <param name="arguments">The service dll, then its command and settings.</param>
    /// <param name="environment">Variables set for the service (and so its workers), such as runtime settings to compare.</param>
    public static Process Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>
    /// Starts the service in API mode on a port of its own on 127.0.0.1 with a fresh SQLite file and room for 64
    /// waiting requests, and returns it with its address once it answers <c>/health</c> with all of its
    /// <paramref name="workers"/> running.
    /// </summary>
    /// <remarks>
    /// The service binds a port the system picks, and its address is read from the socket it listens on. With a
    /// port fixed by the bench, a second bench run at the same time (another build measured on the same machine)
    /// started services that could not bind it and exited, while its health checks and then all its load went to
    /// the first run's services: both runs' figures mixed, and the second ended with "the connection failed:
    /// ConnectionReset" or "the server closed the connection" once the first stopped its services.
    /// </remarks>
    /// <param name="serviceDll">The service dll, optionally after <c>NAME=VALUE,NAME=VALUE@</c>: variables to run it with.</param>
    public static async Task<(Process Process, string Url)> StartApiAsync(string serviceDll, int workers)
    {
        var at = serviceDll.LastIndexOf('@');
        var environment = at < 0 ? null : serviceDll[..at].Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        serviceDll = serviceDll[(at + 1)..];
        var folder = Directory.CreateTempSubdirectory("po-bench-").FullName;
        var process = Start([serviceDll, "run", "--App:Mode=api", "--Urls=http://127.0.0.1:0", $"--Database:ConnectionString=Data Source={folder}/po.db", $"--Storage:LastGoodVersionFile={folder}/last-good-version.json", $"--Solver:Workers={workers}", "--Api:MaxQueuedRequests=64", "--Logging:LogLevel:Default=Warning"], environment);
        using var http = new HttpClient();
        while (true)
        {
            // A service that stops while starting (a setting it refuses, a missing example store) will not come up:
            // waiting for its health for ever hung the whole bench.
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the service {serviceDll} exited while starting, with code {process.ExitCode}");
            }

            if (ProcStat.ListeningPort(process.Id) is { } port)
            {
                var url = $"http://127.0.0.1:{port}";
                try
                {
                    (await http.GetAsync(url + "/health")).EnsureSuccessStatusCode();
                    if (workers == 0 || ProcStat.Children(process.Id).Count == workers)
                    {
                        return (process, url);
                    }
                }
                catch (HttpRequestException)
                {
                    // Not answering yet.
                }
            }

            await Task.Delay(200);
        }
    }
}
