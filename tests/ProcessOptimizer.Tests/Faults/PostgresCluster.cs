using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace ProcessOptimizer.Tests.Faults;

/// <summary>
/// A PostgreSQL cluster of the test's own (initdb, pg_ctl), so that a test may pause, stop or exhaust it without
/// touching the server the other tests share. It belongs to the postgres user, as PostgreSQL refuses root.
/// </summary>
internal sealed class PostgresCluster : IAsyncDisposable
{
    private const string Bin = "/usr/lib/postgresql/15/bin";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "po-pg-" + Guid.NewGuid().ToString("n"));

    private PostgresCluster(int port) => Port = port;

    public int Port { get; }

    public string Connection => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres";

    /// <summary>The postmaster and its backends, for pausing.</summary>
    public IReadOnlyList<int> Processes => File.Exists(Path.Combine(_folder, "postmaster.pid"))
        ? Signals.WithChildren(int.Parse(File.ReadLines(Path.Combine(_folder, "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture))
        : [];

    /// <exception cref="InvalidOperationException">PostgreSQL is not installed: the test fails, it is not skipped.</exception>
    public static async Task<PostgresCluster> StartAsync(int maxConnections = 100)
    {
        if (!File.Exists(Path.Combine(Bin, "initdb")))
        {
            throw new InvalidOperationException($"PostgreSQL 15 is not installed in {Bin}: run scripts/install-deps.sh test");
        }

        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var cluster = new PostgresCluster(port);
        Directory.CreateDirectory(cluster._folder);
        await RunAsync("chown", "postgres:postgres", cluster._folder);
        await RunAsync("runuser", "-u", "postgres", "--", Path.Combine(Bin, "initdb"), "-D", cluster._folder, "-A", "trust", "-U", "postgres");
        cluster.Options = $"-c listen_addresses=127.0.0.1 -p {port} -k {cluster._folder} -c max_connections={maxConnections} -c superuser_reserved_connections=0";
        await cluster.StartServerAsync();
        return cluster;
    }

    private string Options { get; set; } = "";

    public bool IsRunning => File.Exists(Path.Combine(_folder, "postmaster.pid"));

    public Task StartServerAsync() =>
        RunAsync("runuser", "-u", "postgres", "--", Path.Combine(Bin, "pg_ctl"), "-D", _folder, "-l", Path.Combine(_folder, "server.log"), "-w", "-o", Options, "start");

    public Task StopServerAsync() =>
        RunAsync("runuser", "-u", "postgres", "--", Path.Combine(Bin, "pg_ctl"), "-D", _folder, "-m", "immediate", "-w", "stop");

    public void Pause() => Signals.Pause(Processes);

    public void Resume()
    {
        if (Processes is { Count: > 0 } processes)
        {
            Signals.Resume(processes);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(Path.Combine(_folder, "postmaster.pid")))
        {
            // A paused server does not stop: wake it first.
            Resume();
            NpgsqlConnection.ClearAllPools();
            await StopServerAsync();
        }

        Directory.Delete(_folder, recursive: true);
    }

    private static async Task RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error}{await output}");
        }
    }
}
