using Microsoft.Extensions.Logging;
using ProcessOptimizer.Core.Storage;
using ProcessOptimizer.Hosting;
using ProcessOptimizer.Storage.ObjectStores;
using ProcessOptimizer.Strategies;
using ProcessOptimizer.Tests.Faults;
using ProcessOptimizer.Tests.Scheduling;
using ProcessOptimizer.Tests.Service;

namespace ProcessOptimizer.Tests.Hosting;

/// <summary>
/// Issue 14: a strategy whose pointer names a version that cannot be loaded, with no good version to fall back to, is
/// found again by every round of the dependency monitor (2 s). The operator gets a line when it begins and one when
/// it ends, not one every 2 s for as long as it lasts.
/// </summary>
[Collection(ServiceHostCollection.Name)]
public sealed class UnloadableVersionLogTests
{
    private const string Pointer = "kiln.yaml";

    [Fact]
    public async Task Monitor_VersionUnloadableForSeveralRounds_LogsItOnceAndItsEndOnce()
    {
        var folder = Directory.CreateTempSubdirectory("po-unloadable-").FullName;
        try
        {
            var store = new LocalFolderStore(Path.Combine(folder, "store"));
            await TestStrategies.UploadAsync(store, Pointer, "kiln_feed");
            await store.PutTextAsync(Pointer, StoreLayout.PointerText(Pointer, "9.9.9"), CancellationToken.None);
            var log = new CapturedLog();
            var app = ServiceHost.Build(
                [
                    "--Urls=http://127.0.0.1:0", "--App:Mode=api", "--Demo:Replay=false", "--Solver:Workers=0",
                    "--Database:ConnectionString=Data Source=" + Path.Combine(folder, "runs.db"), "--Database:OutboxFolder=" + Path.Combine(folder, "outbox"),
                    "--Storage:LocalRoot=" + Path.Combine(folder, "store"), "--Storage:LastGoodVersionFile=" + Path.Combine(folder, "last-good.json"),
                    .. TestStrategies.Setting(0, "kiln", Pointer, 3600),
                ],
                builder => builder.Logging.AddProvider(log));
            await using (app)
            {
                await ServiceHost.InitializeAsync(app, CancellationToken.None);
                await app.StartAsync();

                // At least three rounds of the monitor find the missing version.
                await Task.Delay(TimeSpan.FromSeconds(7));
                var down = Lines(log, "No version of strategy kiln can be loaded");
                Assert.True(down.Count == 1, string.Join("\n", down));
                Assert.Contains("9.9.9", down[0].Message, StringComparison.Ordinal);

                await store.PutTextAsync(Pointer, StoreLayout.PointerText(Pointer, "1.0.0"), CancellationToken.None);
                await FaultKit.WaitForAsync(() => Task.FromResult(Lines(log, "Strategy kiln can be loaded again").Count > 0), TimeSpan.FromSeconds(10), "the line saying the strategy loads again");
                await Task.Delay(TimeSpan.FromSeconds(3));
                Assert.Single(Lines(log, "Strategy kiln can be loaded again"));
                Assert.Single(Lines(log, "No version of strategy kiln can be loaded"));
                await app.StopAsync();
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static List<CapturedLog.Entry> Lines(CapturedLog log, string start) =>
        log.Entries.Where(e => e.Message.StartsWith(start, StringComparison.Ordinal)).ToList();
}
