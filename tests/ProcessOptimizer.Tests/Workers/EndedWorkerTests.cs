using System.Text.Json;
using ProcessOptimizer.Strategies;
using ProcessOptimizer.Workers;

namespace ProcessOptimizer.Tests.Workers;

/// <summary>
/// A worker that has been ended is still described: /health and /metrics read every slot's worker while the pool
/// replaces one, and a description that threw there failed the health check exactly when a worker was replaced.
/// </summary>
[Collection(nameof(WorkerHostCollection))]
public sealed class EndedWorkerTests
{
    [Fact]
    public async Task Describe_AfterTheWorkerWasKilledAndDisposed_GivesItsPidAndThatItExited()
    {
        var worker = await WorkerProcess.StartAsync(JsonSerializer.Serialize(new StorageSettings()), CancellationToken.None);
        var pid = worker.Pid;
        Assert.False(worker.HasExited);

        worker.Kill();
        await worker.DisposeAsync();

        Assert.Equal(pid, worker.Pid);
        Assert.True(worker.HasExited);
        Assert.False(worker.IsBusy);
        Assert.False(worker.IsSolving);
        Assert.False(Directory.Exists($"/proc/{pid}/task"), $"worker {pid} still runs after it was disposed");
    }
}
