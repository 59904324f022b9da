using ProcessOptimizer.Storage.ObjectStores;
using ProcessOptimizer.Tests.Faults;

namespace ProcessOptimizer.Tests.Scheduling;

/// <summary>
/// A test of a cluster of one: a replica process in hybrid mode on a PostgreSQL database of its own (with the
/// plant's table), running the strategy <c>kiln</c> (versions 1.0.0 and 2.0.0 on <c>tag0</c>, 1.0.0 deployed) from a
/// local store, with its outbox and last-good file in a folder of its own; both are deleted after the test.
/// </summary>
/// <param name="name">Names the test in the database's and the folder's names.</param>
public abstract class OneReplicaClusterTest(string name) : IAsyncLifetime
{
    private const string Pointer = "kiln.yaml";

    private readonly string _folder = Directory.CreateTempSubdirectory($"po-{name}-").FullName;
    private PlantDatabase? _database;

    protected PlantDatabase Database => _database ?? throw new InvalidOperationException("The test's database is made when the test is initialized.");

    public async Task InitializeAsync()
    {
        _database = await PlantDatabase.CreateAsync($"po_{name}");
        await TestStrategies.UploadAsync(new LocalFolderStore(Path.Combine(_folder, "store")), Pointer, "tag0");
    }

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Starts the replica, running <c>kiln</c> every <paramref name="intervalSeconds"/>, with <paramref name="settings"/> added.</summary>
    protected ReplicaProcess Start(string instanceId, int intervalSeconds, int workers, params IEnumerable<string> settings) =>
        ReplicaProcess.Start(instanceId,
        [
            "--App:Mode=hybrid", "--Demo:Replay=false", $"--Solver:Workers={workers}",
            "--Storage:LocalRoot=" + Path.Combine(_folder, "store"), "--Storage:LastGoodVersionFile=" + Path.Combine(_folder, "last-good.json"),
            "--Database:Kind=postgres", "--Database:ConnectionString=" + Database.Connection,
            "--Database:OutboxFolder=" + Path.Combine(_folder, "outbox"),
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:ProcessOptimizer=Information",
            .. TestStrategies.Setting(0, "kiln", Pointer, intervalSeconds),
            .. settings,
        ]);

    /// <summary>Waits (up to two minutes, for a cold start on a loaded machine) until the replica has stored <paramref name="count"/> successful runs of <c>kiln</c>.</summary>
    /// <exception cref="InvalidOperationException">The replica exited; the message holds its output.</exception>
    protected Task WaitForSuccessesAsync(ReplicaProcess replica, int count, string what) =>
        FaultKit.WaitForAsync(
            async () => replica.HasExited ? throw new InvalidOperationException(replica.Output) : (await Database.RunsAsync("kiln")).Count(r => r.Outcome == "success") >= count,
            TimeSpan.FromSeconds(120),
            what);
}
