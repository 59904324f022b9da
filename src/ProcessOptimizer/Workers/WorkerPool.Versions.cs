using ProcessOptimizer.Strategies;

namespace ProcessOptimizer.Workers;

/// <summary>A version that goes live reaches the idle workers at once.</summary>
public sealed partial class WorkerPool
{
    // Each idle worker builds the new version and solves it once (the warm-up), so that the next cycle or request
    // finds it built and warm, where it paid for both against its deadline. A busy worker gets the version with its
    // next request, as before; a starting one builds the live versions anyway.
    private void OnSwitched(DeployedStrategy deployed) => _ = Task.Run(() => PrepareAsync(deployed));

    private async Task PrepareAsync(DeployedStrategy deployed)
    {
        var held = new List<Task<bool>>();
        for (var i = 0; i < _slots.Length && !_stopping.IsCancellationRequested && _free.Wait(0); i++)
        {
            var index = Take();
            var work = HoldAsync(index, null, isRequest: false, async worker =>
            {
                await _warmUp.RunAsync(worker, deployed, _limits, _stoppingToken).ConfigureAwait(false);
                return true;
            });
            _work[index] = work;
            held.Add(work);
        }

        try
        {
            await Task.WhenAll(held).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SolverWorkerException or OperationCanceledException)
        {
            // A worker lost while it built or warmed up has been replaced and logged, and its replacement builds the
            // live version when it starts; the pool's stop ends the rest.
        }
    }
}
