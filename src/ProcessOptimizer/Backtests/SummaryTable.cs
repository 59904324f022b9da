using System.Globalization;
using ProcessOptimizer.Core.Runs;

namespace ProcessOptimizer.Backtests;

/// <summary>The summary as a plain-text table, one row per version, for the end of the command's output.</summary>
internal static class SummaryTable
{
    public static void Write(TextWriter output, BacktestSummary summary)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(summary);
        string[] header = ["version", "steps", "success", "infeasible", "not-conv.", "failed", "skipped", "error", "mean cost", "model MAE", "agreement", "if followed*"];
        var rows = new List<string[]> { header };
        foreach (var (version, s) in summary.Versions)
        {
            int Count(params RunOutcome[] outcomes) => outcomes.Sum(o => s.Outcomes.GetValueOrDefault(o.Name()));
            var agreement = s.Decisions.Values.Where(d => d.Agreement is not null).Select(d => d.Agreement!.Value).DefaultIfEmpty(double.NaN).Average();
            rows.Add(
            [
                version, $"{s.Steps}", $"{Count(RunOutcome.Success)}", $"{Count(RunOutcome.Infeasible)}", $"{Count(RunOutcome.NotConverged)}", $"{Count(RunOutcome.SolverFailed)}",
                $"{Count(RunOutcome.SkippedStale, RunOutcome.SkippedNoNewData, RunOutcome.SkippedBadData)}", $"{Count(RunOutcome.Error)}",
                Number(s.Cost.Mean), Number(s.ModelQuality.Values.Select(q => q.Mae).FirstOrDefault()), double.IsNaN(agreement) ? "-" : agreement.ToString("P0", CultureInfo.InvariantCulture),
                Number(s.IfFollowed.Saving),
            ]);
        }

        var widths = header.Select((_, c) => rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in rows)
        {
            output.WriteLine(string.Join("  ", row.Select((cell, c) => c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))));
        }

        output.WriteLine("* if followed: mean cost at the operators' next values minus cost at the recommendation; a model-based estimate, not a measurement.");
    }

    private static string Number(double? value) => value is { } v && double.IsFinite(v) ? v.ToString("G4", CultureInfo.InvariantCulture) : "-";
}
