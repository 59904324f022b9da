using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using ProcessOptimizer.Core.Data;
using ProcessOptimizer.Storage.Database;
using ProcessOptimizer.Storage.ObjectStores;
using ProcessOptimizer.Tests.Service;

namespace ProcessOptimizer.Tests.Dashboard;

/// <summary>
/// The real host on PostgreSQL and s3rver with nine days of 1-minute kiln history (the example's three days,
/// repeated back in time) and several runs made by its own loop (the fake clock is moved an interval at a time
/// while the next quarter hour of data arrives), a second strategy version in the store, and one Chromium shared
/// by every test.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    // The seed ends two hours before the replay feeder's normal operating point; each cycle adds a quarter hour.
    private const int SeedRows = 3800;
    private const int IntervalSeconds = 900;
    private const int RowsPerCycle = IntervalSeconds / 60;
    private const int Cycles = 8;

    // Copies of the whole example before it, so that a week of 1-minute data is stored.
    private const int EarlierCopies = 2;

    private static readonly CsvTable History = ReadHistory();

    private int _imported;

    public ServiceFixture Service { get; } = new() { Seed = ImportFirstRowsAsync, Settings = [$"--Optimization:IntervalSeconds={IntervalSeconds}"] };

    public IPlaywright Playwright { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public string BaseUrl => Service.Client.BaseAddress!.ToString().TrimEnd('/');

    public async Task InitializeAsync()
    {
        _imported = SeedRows;
        await Service.InitializeAsync();
        await Service.LatestRunAsync();
        using (var store = new S3ObjectStore(Service.S3Settings()))
        {
            var text = await File.ReadAllTextAsync(Path.Combine(TestServers.Kiln, "store", "configs", "process-optimization-strategy-config-1.0.0.yaml"));
            var next = text.Replace("op_max: 1480.0\n        op_min: 1380.0", "op_max: 1470.0\n        op_min: 1380.0", StringComparison.Ordinal);
            Assert.NotEqual(text, next);
            await using var changed = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(next));
            await store.PutAsync("configs/process-optimization-strategy-config-1.0.1.yaml", changed, CancellationToken.None);
        }

        for (var i = 0; i < Cycles; i++)
        {
            await NextCycleAsync();
        }

        (Playwright, Browser) = await Chromium.LaunchAsync();
    }

    /// <summary>The next interval of history arrives and the loop's next cycle runs; returns the new run.</summary>
    public async Task<JsonElement> NextCycleAsync()
    {
        var before = (await Service.LatestRunAsync()).GetProperty("id").GetInt64();
        var rows = History.Rows.Skip(_imported).Take(RowsPerCycle).ToList();
        var database = ProcessDatabase.Create(DatabaseKind.Postgres, Service.DatabaseConnection);
        await new ProcessDataImporter(database).ImportAsync(new CsvTable(History.Columns, rows), CancellationToken.None);
        _imported += rows.Count;
        Service.Clock.Advance(TimeSpan.FromSeconds(IntervalSeconds));
        for (var i = 0; i < 300; i++)
        {
            var latest = await Service.Client.GetFromJsonAsync<JsonElement>("/runs/latest");
            if (latest.GetProperty("id").GetInt64() != before)
            {
                return latest;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("the loop stored no new run within 30 s of the clock moving an interval");
    }

    /// <summary>A fresh page in its own context, so session storage (the API key) starts empty.</summary>
    public async Task<IPage> OpenAsync(string hash)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{BaseUrl}/{hash}");
        return page;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        Playwright?.Dispose();
        await Service.DisposeAsync();
    }

    private static async Task<DateTimeOffset> ImportFirstRowsAsync(string connection)
    {
        var database = ProcessDatabase.Create(DatabaseKind.Postgres, connection);
        await database.MigrateAsync(CancellationToken.None);
        var length = TimeSpan.FromMinutes(History.Rows.Count);
        var earlier = Enumerable.Range(1, EarlierCopies).Reverse()
            .SelectMany(copy => History.Rows.Select(r => r with { Timestamp = r.Timestamp - (copy * length) }));
        await new ProcessDataImporter(database).ImportAsync(new CsvTable(History.Columns, [.. earlier, .. History.Rows.Take(SeedRows)]), CancellationToken.None);
        return History.Rows[SeedRows - 1].Timestamp;
    }

    private static CsvTable ReadHistory()
    {
        using var reader = new StreamReader(Path.Combine(TestServers.Kiln, "data", "kiln-history.csv"));
        return CsvTable.Read(reader, "kiln-history.csv");
    }
}
