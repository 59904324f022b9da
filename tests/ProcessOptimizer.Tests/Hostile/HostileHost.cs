using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using ProcessOptimizer.Hosting;

namespace ProcessOptimizer.Tests.Hostile;

/// <summary>
/// The real host as an attacker meets it: the REST API and the loop, a local store (a copy of the kiln store),
/// SQLite, the real clock, inline strategies allowed without a key (as in the seed), and short deadlines.
/// Everything it may write is under <see cref="Work"/>; <see cref="Snapshot"/> lists every other file it could touch.
/// </summary>
public sealed class HostileHost : IAsyncLifetime
{
    public const int MaxSolveSeconds = 2;

    public string Work { get; } = Path.Combine(Path.GetTempPath(), "po-hostile-" + Guid.NewGuid().ToString("n")[..12]);

    public string Store => Path.Combine(Work, "store");

    /// <summary>A folder with a file that hostile options point at; neither may change or be read back.</summary>
    public string Canary => Path.Combine(Work, "canary");

    public string CanaryFile => Path.Combine(Canary, "secret.txt");

    public const string CanaryText = "canary-3f1c9a secret line";

    public WebApplication App { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(TestServers.Kiln, "store"), "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(Store, Path.GetRelativePath(Path.Combine(TestServers.Kiln, "store"), file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        Directory.CreateDirectory(Canary);
        await File.WriteAllTextAsync(CanaryFile, CanaryText + "\n");
        Directory.CreateDirectory(Path.Combine(Work, "db"));
        App = ServiceHost.Build(
        [
            "--Urls=http://127.0.0.1:0", "--App:Mode=hybrid", "--Demo:Replay=false",
            "--Api:InlineStrategies=allow", $"--Api:MaxSolveSeconds={MaxSolveSeconds}", "--Api:MaxQueuedRequests=2",
            "--Storage:Kind=local", "--Storage:LocalRoot=" + Store,
            "--Database:Kind=sqlite", "--Database:ConnectionString=Data Source=" + Path.Combine(Work, "db", "po.db"),
            "--Optimization:IntervalSeconds=3600",
        ]);
        await ServiceHost.InitializeAsync(App, CancellationToken.None);
        await App.StartAsync();
        var address = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>Every file the host must leave alone: the working directory, the store and the canary, with size, time and a content hash.</summary>
    public IReadOnlyDictionary<string, string> Snapshot()
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var root in new[] { Environment.CurrentDirectory, Store, Canary })
        {
            foreach (var file in new DirectoryInfo(root).EnumerateFiles("*", SearchOption.AllDirectories))
            {
                var hash = file.Length <= 1 << 20 ? Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file.FullName)))[..16] : "";
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

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Work, recursive: true);
    }
}
