using System.Diagnostics;
using ProcessOptimizer.Core.Backtests;
using ProcessOptimizer.Core.Cycle;

namespace ProcessOptimizer.Backtests;

/// <summary>
/// Takes finished steps in any order and handles them in time order: a step is complete once the next step of its
/// version shows where the operators took each decision variable. Then it gets the cost at the operators' values
/// (through the version's own model), is added to its version's report, and is stored with the next batch.
/// </summary>
internal sealed class StepSummer(
    BacktestPlan plan,
    IReadOnlyList<VersionReport> reports,
    CycleRunner evaluator,
    IBacktestStore store,
    SemaphoreSlim outstanding,
    IProgress<BacktestProgress>? progress,
    Stopwatch clock)
{
    private readonly Dictionary<int, StepDone> _early = [];
    private readonly StepDone?[] _previous = new StepDone?[plan.Versions.Count];
    private readonly List<BacktestStep> _batch = [];
    private int _next;
    private int _done;

    public async Task AddAsync(StepDone finished, CancellationToken cancellationToken)
    {
        _early[finished.Work.Sequence] = finished;
        while (_early.Remove(_next, out var current))
        {
            _next++;
            var v = current.Work.Sequence % plan.Versions.Count;
            if (_previous[v] is { } previous)
            {
                await CompleteAsync(v, previous, current.Step, cancellationToken).ConfigureAwait(false);
            }

            _previous[v] = current;
        }
    }

    /// <summary>Completes the last step of each version (nothing follows it) and stores what is left.</summary>
    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        for (var v = 0; v < _previous.Length; v++)
        {
            if (_previous[v] is { } last)
            {
                await CompleteAsync(v, last, null, cancellationToken).ConfigureAwait(false);
            }
        }

        await FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task CompleteAsync(int v, StepDone done, BacktestStep? next, CancellationToken cancellationToken)
    {
        var step = done.Step;
        var operators = next is null ? [] : next.Decisions.ToDictionary(p => p.Key, p => p.Value.Current, StringComparer.Ordinal);
        if (operators.Count > 0)
        {
            step = step with { OperatorsNext = operators };
            if (BacktestSteps.Solved.Contains(step.Outcome) && operators.Count == step.Decisions.Count)
            {
                var at = evaluator.Evaluate(done.Work.Version.Deployed.Compiled, new CycleInput(done.Work.Window.Rows), operators, cancellationToken);
                step = step with { CostAtOperators = at.Status == CycleStatus.Error ? null : at.CostAtRecommended };
            }
        }

        reports[v].Add(step);
        _batch.Add(step);
        _done++;
        outstanding.Release();
        if (_batch.Count >= 100)
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        progress?.Report(new BacktestProgress(_done, plan.Total, clock.Elapsed));
    }

    /// <summary>Stores the completed steps not yet stored.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_batch.Count == 0)
        {
            return;
        }

        await store.SaveStepsAsync(plan.Id, [.. _batch], _done, cancellationToken).ConfigureAwait(false);
        _batch.Clear();
    }
}
