using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using ProcessOptimizer.Core.Data;
using ProcessOptimizer.Hosting;
using ProcessOptimizer.Storage.Database;
using ProcessOptimizer.Storage.ObjectStores;
using ProcessOptimizer.Storage.Tests;

namespace ProcessOptimizer.Tests.Service;

/// <summary>
/// The real host on a loopback port, against the PostgreSQL and s3rver the test script started: the kiln store
/// uploaded to a fresh bucket, the kiln history imported into a fresh database, and a fake clock set to the
/// minute after the last imported row.
/// </summary>
public sealed class ServiceFixture : IAsyncLifetime
{
    public const string ApiKey = "test-key-123";

    private readonly string _database = "po_e2e_" + Guid.NewGuid().ToString("n");
    private readonly string? _postgres;
    private readonly string? _s3;

    /// <summary>The admin connection of the PostgreSQL server this service uses: the shared one unless set.</summary>
    public string Postgres { get => _postgres ?? TestServers.Postgres; init => _postgres = value; }

    /// <summary>The S3 endpoint this service uses: the shared s3rver unless set.</summary>
    public string S3 { get => _s3 ?? TestServers.S3; init => _s3 = value; }

    /// <summary>Writes the process data into the new database and returns the newest row's time; the kiln window by default.</summary>
    public Func<string, Task<DateTimeOffset>> Seed { get; init; } = ImportKilnWindowAsync;

    /// <summary>The connection string the service is given, from the new database's admin one: the same unless set.</summary>
    public Func<string, string> ServiceConnection { get; init; } = connection => connection;

    /// <summary>More configuration, as command-line settings.</summary>
    public IReadOnlyList<string> Settings { get; init; } = [];

    /// <summary>
    /// Whether the start waits for the service's set-up of its schema to end (made, or refused), as with a database that
    /// answers: the service itself listens within a second without it, and a start-up fault test sets this false.
    /// </summary>
    public bool AwaitsDatabase { get; init; } = true;

    /// <summary>Registrations made after the service's own, which they replace (a test's outbox on a disk that fills up).</summary>
    public Action<IServiceCollection>? Services { get; init; }

    /// <summary>The service's outbox folder, its own.</summary>
    public string Outbox { get; } = Path.Combine(Path.GetTempPath(), "po-outbox-" + Guid.NewGuid().ToString("n"));

    /// <summary>The service's record of its last good version, its own.</summary>
    public string LastGoodFile { get; } = Path.Combine(Path.GetTempPath(), "po-last-good-" + Guid.NewGuid().ToString("n") + ".json");

    public string Bucket { get; } = "po-e2e-" + Guid.NewGuid().ToString("n")[..12];

    public FakeTimeProvider Clock { get; } = new();

    public WebApplication App { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public string DatabaseConnection { get; private set; } = "";

    public DateTimeOffset LastDataRow { get; private set; }

    public async Task InitializeAsync()
    {
        await ServerStep.ExecuteAsync(Postgres, $"CREATE DATABASE {_database}");

        DatabaseConnection = new NpgsqlConnectionStringBuilder(Postgres) { Database = _database }.ConnectionString;
        LastDataRow = await Seed(DatabaseConnection);

        using var store = new S3ObjectStore(S3Settings());
        await ServerStep.EnsureBucketAsync(store);
        var root = Path.Combine(TestServers.Kiln, "store");
        await ServerStep.RunAsync("S3 server", store.Description, "the kiln store's upload", async cancellationToken =>
        {
            foreach (var file in Directory.GetFiles(root, "*", SearchOption.AllDirectories))
            {
                await using var content = File.OpenRead(file);
                await store.PutAsync(Path.GetRelativePath(root, file).Replace('\\', '/'), content, cancellationToken);
            }
        });

        Clock.SetUtcNow(LastDataRow.AddSeconds(30));
        await StartHostAsync();
    }

    /// <summary>Stops the service and starts a new one on the same database, bucket, outbox and state: a restart.</summary>
    public async Task RestartAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        await StartHostAsync();
    }

    private async Task StartHostAsync()
    {
        App = ServiceHost.Build(
            [
                "--Urls=http://127.0.0.1:0", "--App:Mode=hybrid", "--Api:Key=" + ApiKey, "--Demo:Replay=false",
                "--Storage:Kind=s3", "--Storage:S3:Endpoint=" + S3, "--Storage:S3:Bucket=" + Bucket,
                "--Storage:S3:AccessKey=S3RVER", "--Storage:S3:SecretKey=S3RVER", "--Storage:LastGoodVersionFile=" + LastGoodFile,
                "--Database:Kind=postgres", "--Database:ConnectionString=" + ServiceConnection(DatabaseConnection), "--Database:OutboxFolder=" + Outbox,
                "--Optimization:IntervalSeconds=3600", "--Api:InlineStrategies=allow",
                // These tests step the cycles with the fake clock; the cluster schedules on wall-clock time (ClusterTests).
                "--Scheduling:Clustered=false",
                .. Settings,
            ],
            builder =>
            {
                builder.Services.AddSingleton<TimeProvider>(Clock);
                Services?.Invoke(builder.Services);
            });
        await ServiceHost.InitializeAsync(App, CancellationToken.None);
        await App.StartAsync();
        if (AwaitsDatabase)
        {
            // The start's set-up, joined until it ends: made, or refused by the database (a role that may not create tables).
            try
            {
                await App.Services.GetRequiredService<DependencyMonitor>().InitializeAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
            }
            catch (DatabaseException)
            {
                // Health says why; the test asks it.
            }
        }

        await Workers.WorkerHost.WarmAsync(App.Services);
        var address = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Client = new HttpClient { BaseAddress = new Uri(address) };

        // The first request compiles the endpoint; tests that time /health measure the service, not the JIT.
        await Client.GetAsync("/health");
    }

    /// <summary>The kiln's 90-minute window, through the service's own importer; returns the newest row's time.</summary>
    public static async Task<DateTimeOffset> ImportKilnWindowAsync(string connection)
    {
        var database = ProcessDatabase.Create(DatabaseKind.Postgres, connection);
        await database.MigrateAsync(CancellationToken.None);
        using var reader = new StreamReader(Path.Combine(TestServers.Kiln, "window-latest.csv"));
        var table = CsvTable.Read(reader, "window-latest.csv");
        await new ProcessDataImporter(database).ImportAsync(table, CancellationToken.None);
        return table.Rows[^1].Timestamp;
    }

    public S3Settings S3Settings() => new() { Endpoint = S3, Bucket = Bucket, AccessKey = "S3RVER", SecretKey = "S3RVER" };

    /// <summary>Waits for the loop's first stored run.</summary>
    public async Task<System.Text.Json.JsonElement> LatestRunAsync()
    {
        for (var i = 0; i < 200; i++)
        {
            var response = await Client.GetAsync("/runs/latest?strategy=process-optimization");
            if (response.IsSuccessStatusCode)
            {
                return await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("no run was stored within 20 s");
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (App is not null)
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }

        NpgsqlConnection.ClearAllPools();
        if (Directory.Exists(Outbox))
        {
            Directory.Delete(Outbox, recursive: true);
        }

        File.Delete(LastGoodFile);

        await ServerStep.ExecuteAsync(Postgres, $"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");
    }
}
