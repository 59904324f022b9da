using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProcessOptimizer.Hosting;
using ProcessOptimizer.Workers;

namespace ProcessOptimizer.Tests.Hostile;

/// <summary>
/// The real host as an attacker meets it: the REST API and the loop, two solver workers, a local store (a copy of
/// the kiln store), SQLite, the real clock, inline strategies allowed without a key (as in the seed), and short
/// deadlines. Everything it may write is under <see cref="Work"/>. Around it lie canaries that hostile requests
/// aim at: a folder with a secret file, and an <c>ipopt.opt</c> in the working directory, where IPOPT would
/// look for one. <see cref="Watch"/> sees every process touch them, the working directory or the temp directory.
/// </summary>
public sealed class HostileHost : IAsyncLifetime
{
    public const int MaxSolveSeconds = 2;

    public const string CanaryText = "canary-3f1c9a secret line";

    private string? _temp;

    public string Work { get; } = Path.Combine(Path.GetTempPath(), "po-hostile-" + Guid.NewGuid().ToString("n")[..12]);

    public string Store => Path.Combine(Work, "store");

    /// <summary>The service's temp directory (<c>TMPDIR</c> while the host runs), watched whole.</summary>
    public string Temp => Path.Combine(Work, "tmp");

    /// <summary>A folder with a file that hostile options point at; neither may change or be read.</summary>
    public string Canary => Path.Combine(Work, "canary");

    public string CanaryFile => Path.Combine(Canary, "secret.txt");

    /// <summary>The file IPOPT reads options from when nobody empties <c>option_file_name</c>; no solve may open it.</summary>
    public static string OptionFileCanary => Path.Combine(Environment.CurrentDirectory, "ipopt.opt");

    /// <summary>The slowest of a few normal requests on warm workers: what "one normal solve" costs here.</summary>
    public TimeSpan NormalSolve { get; private set; }

    public WebApplication App { get; private set; } = null!;

    /// <summary>Every line the host logs.</summary>
    internal Hosting.CapturedLog Log { get; } = new();

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        TestServers.CopyKilnStore(Store);

        Directory.CreateDirectory(Canary);
        Directory.CreateDirectory(Temp);
        await File.WriteAllTextAsync(CanaryFile, CanaryText + "\n");
        // A comment only: were it ever read, it would change nothing, and the watch still sees the read.
        await File.WriteAllTextAsync(OptionFileCanary, "# " + CanaryText + "\n");
        Directory.CreateDirectory(Path.Combine(Work, "db"));

        // The suite runs alone (its collection is not parallel), so this process's temp directory may point at a
        // folder of the host's own while it runs; solver workers inherit it.
        _temp = Environment.GetEnvironmentVariable("TMPDIR");
        Environment.SetEnvironmentVariable("TMPDIR", Temp);
        App = ServiceHost.Build(
        [
            "--Urls=http://127.0.0.1:0", "--App:Mode=hybrid", "--Demo:Replay=false", "--Solver:Workers=2",
            "--Api:InlineStrategies=allow", $"--Api:MaxSolveSeconds={MaxSolveSeconds}", "--Api:MaxQueuedRequests=2",
            "--Storage:Kind=local", "--Storage:LocalRoot=" + Store,
            "--Database:Kind=sqlite", "--Database:ConnectionString=Data Source=" + Path.Combine(Work, "db", "po.db"),
            "--Database:OutboxFolder=" + Path.Combine(Work, "db", "outbox"),
            "--Optimization:IntervalSeconds=3600",
        ], builder => builder.Logging.AddProvider(Log));
        await ServiceHost.InitializeAsync(App, CancellationToken.None);
        await App.StartAsync();
        await Workers.WorkerHost.WarmAsync(App.Services);
        var address = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
        await WarmUpAsync();
    }

    /// <summary>A watch on the working directory (all of it), the temp directory and the canary folder, for reads and changes.</summary>
    public FileAccessWatch Watch() => new FileAccessWatch()
        .WatchTree(Environment.CurrentDirectory, Inotify.Reads | Inotify.Changes)
        .WatchTree(Temp, Inotify.Reads | Inotify.Changes)
        .Watch(Canary, Inotify.Reads | Inotify.Changes);

    /// <summary>
    /// What the watch saw that the host must not do. The one thing left out: the runtime opening the program's own
    /// code (.dll, .so) in the working directory, which it does lazily, the first time a type is used, and its
    /// symbols (.pdb), which it reads to give a logged exception's stack trace its line numbers.
    /// </summary>
    public static IReadOnlyList<FileEvent> Touched(FileAccessWatch watch) =>
        [.. watch.Events().Where(e => !(e.IsRead && (e.Mask & Inotify.Changes) == 0 && IsProgramCode(e.Path)))];

    /// <summary>Every file the host must leave alone: the working directory, the store and the canary, with size, time and a content hash.</summary>
    public IReadOnlyDictionary<string, string> Snapshot()
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var root in new[] { Environment.CurrentDirectory, Store, Canary, Temp })
        {
            foreach (var file in new DirectoryInfo(root).EnumerateFiles("*", SearchOption.AllDirectories))
            {
                // The temp directory holds the workers' sockets, which have no content to hash.
                var hash = root != Temp && file.Length <= 1 << 20 ? Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file.FullName)))[..16] : "";
                files[file.FullName] = $"{file.Length} {file.LastWriteTimeUtc:O} {hash}";
            }
        }

        return files;
    }

    public async Task<(int Status, string Body, TimeSpan Took)> PostAsync(string path, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var response = await Client.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text, watch.Elapsed);
    }

    public Task<(int Status, string Body, TimeSpan Took)> PostAsync(string path, string body) => PostAsync(path, Encoding.UTF8.GetBytes(body));

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (App is not null)
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }

        Environment.SetEnvironmentVariable("TMPDIR", _temp);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(OptionFileCanary);
        Directory.Delete(Work, recursive: true);
    }

    private static bool IsProgramCode(string path) => Path.GetExtension(path) is ".dll" or ".so" or ".pdb"
        && path.StartsWith(Environment.CurrentDirectory + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    // Both workers started and warm, so that the cases time the service, not a worker's start or first compile.
    private async Task WarmUpAsync()
    {
        var pool = App.Services.GetRequiredService<WorkerPool>();
        while (pool.Workers.Any(w => w.Pid is null))
        {
            await Task.Delay(20);
        }

        // On a loaded machine a worker's first build of the strategy can outlast the short deadline: the service then
        // answers 503 "solver not ready" and the build goes on, as documented; the round is repeated until both answer.
        var normal = HostileRequests.Json(HostileRequests.Normal());
        var until = DateTime.UtcNow.AddMinutes(2);
        for (var round = 0; round < 3;)
        {
            var answers = await Task.WhenAll(PostAsync("/optimize", normal), PostAsync("/optimize", normal));
            var failed = answers.Where(a => a.Status != 200).ToList();
            if (failed.Count == 0)
            {
                NormalSolve = answers.Max(a => a.Took);
                round++;
            }
            else if (failed.Any(a => a.Status != 503 || !a.Body.Contains("solver not ready", StringComparison.Ordinal)) || DateTime.UtcNow > until)
            {
                throw new InvalidOperationException($"a normal request failed while warming up: {failed[0].Status} {failed[0].Body}");
            }
            else
            {
                await Task.Delay(200);
            }
        }
    }
}
