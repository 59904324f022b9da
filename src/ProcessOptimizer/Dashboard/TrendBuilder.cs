using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Runs;
using ProcessOptimizer.Core.Strategies;

namespace ProcessOptimizer.Dashboard;

/// <summary>Builds a <see cref="TrendReport"/> from the rows and runs of a range; pure, so every reduction can be tested on its own.</summary>
public static class TrendBuilder
{
    private const string PredictedPrefix = "predicted_";

    // Worst first: a bucket of runs shows the worst outcome it holds, so a failure is never averaged away.
    private static readonly RunOutcome[] Severity =
    [
        RunOutcome.Error, RunOutcome.SolverFailed, RunOutcome.Infeasible, RunOutcome.NotConverged,
        RunOutcome.SkippedBadData, RunOutcome.SkippedStale, RunOutcome.SkippedNoNewData, RunOutcome.Success,
    ];

    /// <summary>The variables a trends page shows when none are asked for: decision variables, constraint quantities, and the tags these predict.</summary>
    public static IReadOnlyList<string> DefaultVariables(Strategy definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var names = Decisions(definition).Concat(Predictions(definition)).ToList();
        names.AddRange(names.Select(n => MeasuredOf(definition, n)).OfType<string>().ToList());
        return [.. names.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The measured tag a predicted variable forecasts: <c>predicted_X</c> forecasts <c>X</c> when the strategy has a variable <c>X</c>.</summary>
    public static string? MeasuredOf(Strategy definition, string predicted)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(predicted);
        return predicted.StartsWith(PredictedPrefix, StringComparison.Ordinal) && definition.Variables.ContainsKey(predicted[PredictedPrefix.Length..])
            ? predicted[PredictedPrefix.Length..]
            : null;
    }

    public static TrendReport Build(string strategy, Strategy definition, IReadOnlyList<string> variables, IReadOnlyList<ProcessRow> rows, IReadOnlyList<RunRecord> runs, DateTimeOffset from, DateTimeOffset to, int points, double horizonSeconds)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(variables);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(runs);
        var inRange = rows.Where(r => r.Timestamp <= to).ToList();
        var measured = variables
            .Where(v => inRange.Any(r => r.Values.ContainsKey(v)))
            .Select(v => TrendBuckets.Measured(v, definition.Variables[v].Units, inRange, from, to, points))
            .ToList();
        var shown = Representatives(runs, from, to, points);
        var decisions = Decisions(definition).Where(variables.Contains).Select(v => Decision(definition.Variables[v], shown)).ToList();
        var predictions = Predictions(definition).Where(variables.Contains)
            .Select(v => Prediction(definition, v, shown, rows, horizonSeconds)).ToList();
        var series = new RunSeries(
            [.. shown.Select(Time)], [.. shown.Select(r => r.Id)], [.. shown.Select(r => r.Outcome.Name())],
            [.. shown.Select(r => r.Cost)], [.. shown.Select(r => r.DurationMs)]);
        return new TrendReport(strategy, from, to, points, measured, decisions, predictions, series, runs.Count);
    }

    /// <summary>At most <paramref name="points"/> runs, oldest first: all of them, or the worst of each time bucket (the latest among equals).</summary>
    public static IReadOnlyList<RunRecord> Representatives(IReadOnlyList<RunRecord> runs, DateTimeOffset from, DateTimeOffset to, int points)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count <= points)
        {
            return runs;
        }

        var start = from.ToUnixTimeMilliseconds() / 1000.0;
        var width = Math.Max(1e-3, (to.ToUnixTimeMilliseconds() / 1000.0 - start) / points);
        return [.. runs
            .GroupBy(r => TrendBuckets.Bucket(r.StartedAt.ToUnixTimeMilliseconds() / 1000.0, start, width, points))
            .OrderBy(g => g.Key)
            .Select(g => g.OrderBy(r => Array.IndexOf(Severity, r.Outcome)).ThenByDescending(r => r.StartedAt).First())];
    }

    private static IEnumerable<string> Decisions(Strategy definition) =>
        definition.SkillsOf<OptimizationSkill>().SelectMany(o => o.Inputs).Distinct(StringComparer.Ordinal);

    private static IEnumerable<string> Predictions(Strategy definition) =>
        definition.SkillsOf<ConstraintsSkill>().SelectMany(c => c.Template).Select(t => t.PredictedVariable)
            .Concat(definition.Variables.Values.Where(v => v.Type == VariableType.Predicted).Select(v => v.Name))
            .Distinct(StringComparer.Ordinal);

    private static DecisionSeries Decision(Variable variable, IReadOnlyList<RunRecord> runs)
    {
        var rows = runs
            .Select(r => (Run: r, Value: r.Recommendations.FirstOrDefault(x => x.Variable == variable.Name)))
            .Where(p => p.Value is not null)
            .Select(p => (Time: Time(p.Run), Row: RunExplainer.Decision(p.Value!, variable)))
            .ToList();
        return new DecisionSeries(
            variable.Name, variable.Units, [.. rows.Select(p => p.Time)], [.. rows.Select(p => p.Row.Current)], [.. rows.Select(p => p.Row.Recommended)],
            [.. rows.Select(p => p.Row.MoveLow)], [.. rows.Select(p => p.Row.MoveHigh)]);
    }

    private static PredictionSeries Prediction(Strategy definition, string name, IReadOnlyList<RunRecord> runs, IReadOnlyList<ProcessRow> rows, double horizonSeconds)
    {
        var tag = MeasuredOf(definition, name);
        var measured = tag is null
            ? []
            : rows.Where(r => r.Timestamp is not null && r.Values.TryGetValue(tag, out var v) && v is { } x && double.IsFinite(x))
                .Select(r => (Time: r.Timestamp!.Value, Value: r.Values[tag]!.Value)).ToList();
        var (times, predicted, actual, bias, mae) = (new List<double>(), new List<double>(), new List<double?>(), new List<double?>(), new List<double?>());
        var (sum, sumAbs, pairs) = (0.0, 0.0, 0);
        foreach (var run in runs)
        {
            if (run.Recommendations.FirstOrDefault(x => x.Variable == name) is not { } value || run.Outcome is not (RunOutcome.Success or RunOutcome.NotConverged or RunOutcome.Infeasible or RunOutcome.SolverFailed))
            {
                continue;
            }

            var at = run.DataTimestamp ?? run.StartedAt;
            var followed = Followed(measured, at, at.AddSeconds(horizonSeconds));
            if (followed is { } m)
            {
                (sum, sumAbs, pairs) = (sum + (value.Recommended - m), sumAbs + Math.Abs(value.Recommended - m), pairs + 1);
            }

            times.Add(Time(run));
            predicted.Add(value.Recommended);
            actual.Add(followed);
            bias.Add(pairs > 0 ? sum / pairs : null);
            mae.Add(pairs > 0 ? sumAbs / pairs : null);
        }

        return new PredictionSeries(name, tag, definition.Variables.TryGetValue(name, out var v) ? v.Units : "", horizonSeconds, times, predicted, actual, bias, mae,
            pairs > 0 ? sum / pairs : null, pairs > 0 ? sumAbs / pairs : null, pairs);
    }

    // The newest measurement at or before the horizon that came after the run's data: none yet means no pair.
    private static double? Followed(List<(DateTimeOffset Time, double Value)> measured, DateTimeOffset after, DateTimeOffset until)
    {
        int lo = 0, hi = measured.Count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if (measured[mid].Time <= until)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found >= 0 && measured[found].Time > after ? measured[found].Value : null;
    }

    private static double Time(RunRecord run) => (run.DataTimestamp ?? run.StartedAt).ToUnixTimeMilliseconds() / 1000.0;
}
