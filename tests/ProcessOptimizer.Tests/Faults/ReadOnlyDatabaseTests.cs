using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using ProcessOptimizer.Core.Data;
using ProcessOptimizer.Hosting;
using ProcessOptimizer.Storage.Database;
using ProcessOptimizer.Tests.Service;

namespace ProcessOptimizer.Tests.Faults;

/// <summary>
/// Issue 14: a SQLite database the service cannot write (opened read-only) must not stop the start. The service
/// comes up, says unhealthy with the database's reason, and keeps every answer's run in the outbox.
/// </summary>
[Collection(ServiceHostCollection.Name)]
public sealed class ReadOnlyDatabaseTests
{
    [Fact]
    public async Task Start_OnAReadOnlySqliteFile_ServesReportsUnhealthyWithTheReasonAndKeepsRunsPending()
    {
        var folder = Directory.CreateTempSubdirectory("po-readonly-").FullName;
        var file = Path.Combine(folder, "plant.db");
        var writable = ProcessDatabase.Create(DatabaseKind.Sqlite, "Data Source=" + file);
        await writable.MigrateAsync(CancellationToken.None);
        using (var reader = new StreamReader(Path.Combine(TestServers.Kiln, "window-latest.csv")))
        {
            await new ProcessDataImporter(writable).ImportAsync(CsvTable.Read(reader, "window-latest.csv"), CancellationToken.None);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var before = File.ReadAllBytes(file);
        var app = ServiceHost.Build(
        [
            "--Urls=http://127.0.0.1:0", "--App:Mode=hybrid", "--Demo:Replay=false", "--Solver:Workers=1",
            "--Database:ConnectionString=Data Source=" + file + ";Mode=ReadOnly", "--Database:OutboxFolder=" + Path.Combine(folder, "outbox"),
            "--Database:BreakSeconds=1", "--Optimization:IntervalSeconds=3600",
        ]);
        try
        {
            await ServiceHost.InitializeAsync(app, CancellationToken.None);
            await app.StartAsync();
            await Workers.WorkerHost.WarmAsync(app.Services);
            using var client = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };
            await client.GetAsync("/health");

            var answer = await client.PostAsJsonAsync("/optimize", FaultKit.KilnRequest());
            var body = await answer.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
            Assert.True(answer.StatusCode == HttpStatusCode.OK, body.ToString());
            Assert.True(body.GetProperty("run_pending").GetBoolean(), body.ToString());

            System.Text.Json.JsonElement health = default;
            await FaultKit.WaitForAsync(
                async () => (health = (await FaultKit.HealthAsync(client)).Body).GetProperty("database").GetProperty("status").GetString() == "unhealthy",
                TimeSpan.FromSeconds(15),
                "the database reported unwritable");
            var (status, _) = await FaultKit.HealthAsync(client);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("unhealthy", health.GetProperty("status").GetString());
            Assert.Contains("readonly", health.GetProperty("database").GetProperty("error").GetString(), StringComparison.OrdinalIgnoreCase);
            Assert.True(health.GetProperty("data").GetProperty("pending_runs").GetInt32() >= 1, health.ToString());
            Assert.Equal(before, File.ReadAllBytes(file));
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
