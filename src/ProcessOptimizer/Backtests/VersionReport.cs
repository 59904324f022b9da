using ProcessOptimizer.Core.Backtests;
using ProcessOptimizer.Core.Runs;

namespace ProcessOptimizer.Backtests;

/// <summary>
/// Adds up one version's steps as they finish, in time order. It keeps sums and counts, and one cost per solved step
/// for the distribution; never the windows.
/// </summary>
internal sealed class VersionReport(BacktestVersion version, DateTimeOffset from, DateTimeOffset to)
{
    private const int DriftSlices = 12;
    private const int HistogramBins = 20;

    private readonly Dictionary<RunOutcome, int> _outcomes = Enum.GetValues<RunOutcome>().ToDictionary(o => o, _ => 0);
    private readonly Dictionary<string, DecisionTally> _decisions = version.Decisions.ToDictionary(d => d, _ => new DecisionTally(), StringComparer.Ordinal);
    private readonly Dictionary<string, (ErrorTally All, ErrorTally[] Slices)> _quality =
        version.Predicted.ToDictionary(p => p.Predicted, _ => (new ErrorTally(), Enumerable.Range(0, DriftSlices).Select(_ => new ErrorTally()).ToArray()), StringComparer.Ordinal);

    private readonly List<double> _costs = [];
    private int _steps;
    private int _solved;
    private int _followed;
    private double _sumRecommended;
    private double _sumOperators;

    public void Add(BacktestStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        _steps++;
        _outcomes[step.Outcome]++;
        if (!BacktestSteps.Solved.Contains(step.Outcome))
        {
            return;
        }

        _solved++;
        if (step.Cost is { } cost && double.IsFinite(cost))
        {
            _costs.Add(cost);
            if (step.CostAtOperators is { } operators && double.IsFinite(operators))
            {
                _followed++;
                _sumRecommended += cost;
                _sumOperators += operators;
            }
        }

        foreach (var (name, value) in step.Decisions)
        {
            _decisions[name].Add(version.Deployed.Definition.Variables[name], value, step.OperatorsNext.TryGetValue(name, out var next) ? next : null);
        }

        foreach (var (name, (all, slices)) in _quality)
        {
            if (step.Predictions.TryGetValue(name, out var predicted) && step.Measured.TryGetValue(name, out var measured)
                && double.IsFinite(predicted.Current) && double.IsFinite(measured))
            {
                all.Add(predicted.Current, measured);
                slices[Slice(step.Time)].Add(predicted.Current, measured);
            }
        }
    }

    public VersionSummary Summary() => new(
        _steps,
        _outcomes.ToDictionary(p => p.Key.Name(), p => p.Value),
        _solved,
        _decisions.ToDictionary(p => p.Key, p => p.Value.Summary(_solved), StringComparer.Ordinal),
        Costs(),
        version.Predicted.ToDictionary(p => p.Predicted, Quality, StringComparer.Ordinal),
        new IfFollowed(IfFollowed.EstimateLabel, _followed, Mean(_sumRecommended, _followed), Mean(_sumOperators, _followed), Mean(_sumOperators - _sumRecommended, _followed)));

    private ModelQuality Quality(PredictedTag predicted)
    {
        var (all, slices) = _quality[predicted.Predicted];
        var width = (to - from) / DriftSlices;
        var drift = slices.Select((s, i) => new DriftSlice(from + (width * i), from + (width * (i + 1)), s.Samples, s.Mae, s.Bias)).ToList();
        return new ModelQuality(predicted.Tag, predicted.Horizon?.TotalMinutes, all.Samples, all.Mae, all.Bias, all.R2, drift);
    }

    private CostSummary Costs()
    {
        if (_costs.Count == 0)
        {
            return new CostSummary(0, null, null, null, null, null, null, null, null, []);
        }

        var sorted = _costs.Order().ToArray();
        var (min, max) = (sorted[0], sorted[^1]);
        var bins = new int[HistogramBins];
        foreach (var cost in sorted)
        {
            bins[max > min ? Math.Min(HistogramBins - 1, (int)((cost - min) / (max - min) * HistogramBins)) : 0]++;
        }

        return new CostSummary(sorted.Length, sorted.Average(), min, Quantile(sorted, 0.1), Quantile(sorted, 0.25), Quantile(sorted, 0.5), Quantile(sorted, 0.75), Quantile(sorted, 0.9), max, bins);
    }

    // Linear interpolation between the closest ranks, as numpy's default.
    internal static double Quantile(double[] sorted, double p)
    {
        var rank = p * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = Math.Min(sorted.Length - 1, low + 1);
        return sorted[low] + ((rank - low) * (sorted[high] - sorted[low]));
    }

    private int Slice(DateTimeOffset time) => Math.Clamp((int)((time - from) / (to - from) * DriftSlices), 0, DriftSlices - 1);

    private static double? Mean(double sum, int count) => count > 0 ? sum / count : null;

    /// <summary>One decision variable's sums over the solved steps.</summary>
    private sealed class DecisionTally
    {
        private double _sumAbsMove;
        private int _atMove;
        private int _atHard;
        private int _agree;
        private int _samples;

        public void Add(Core.Strategies.Variable variable, StepValue value, double? next)
        {
            var move = value.Recommended - value.Current;
            _sumAbsMove += Math.Abs(move);
            if (variable.Threshold > 0 && (Near(value.Recommended, value.Current - variable.Threshold) || Near(value.Recommended, value.Current + variable.Threshold)))
            {
                _atMove++;
            }

            if (Near(value.Recommended, variable.MinHardLimit) || Near(value.Recommended, variable.MaxHardLimit))
            {
                _atHard++;
            }

            // A held value says nothing about direction; an operator who did not move disagrees with any move.
            if (next is { } taken && !Near(value.Recommended, value.Current))
            {
                _samples++;
                _agree += Math.Sign(move) == Math.Sign(taken - value.Current) && !Near(taken, value.Current) ? 1 : 0;
            }
        }

        public DecisionSummary Summary(int solved) => new(
            solved > 0 ? _sumAbsMove / solved : 0,
            solved > 0 ? (double)_atMove / solved : 0,
            solved > 0 ? (double)_atHard / solved : 0,
            _samples > 0 ? (double)_agree / _samples : null,
            _samples);

        // The solver's bounds are met to about 1e-8 and what is published is clamped to them.
        private static bool Near(double a, double b) => Math.Abs(a - b) <= 1e-7 * Math.Max(1, Math.Abs(b));
    }
}
