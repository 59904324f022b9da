using System.Text.Json;
using ProcessOptimizer.Core.Backtests;
using ProcessOptimizer.Results;

namespace ProcessOptimizer.Backtests;

/// <summary>Writes a finished backtest to a folder: <c>summary.json</c>, <c>steps.csv</c> and <c>report.html</c>. Steps are read back page by page.</summary>
internal static class BacktestFiles
{
    private const int Page = 1000;

    public static async Task WriteAsync(IBacktestStore store, BacktestSummary summary, IReadOnlyList<BacktestVersion> versions, string folder, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "summary.json"), JsonSerializer.Serialize(summary, ResultJson.Options), cancellationToken).ConfigureAwait(false);
        var samplers = summary.Versions.Keys.ToDictionary(v => v, _ => new SeriesSampler(summary.From, summary.To), StringComparer.Ordinal);
        await using (var csv = new StreamWriter(Path.Combine(folder, "steps.csv")))
        {
            var steps = new StepsCsv(csv, [.. versions.SelectMany(v => v.Decisions).Distinct(StringComparer.Ordinal)]);
            steps.WriteHeader();
            for (var offset = 0; ; offset += Page)
            {
                var page = await store.StepsAsync(summary.Id, null, offset, Page, cancellationToken).ConfigureAwait(false);
                foreach (var step in page)
                {
                    steps.Write(step);
                    if (step.Cost is { } cost && BacktestSteps.Solved.Contains(step.Outcome))
                    {
                        samplers[step.Version].Add(step.Time, cost);
                    }
                }

                if (page.Count < Page)
                {
                    break;
                }
            }
        }

        await using var html = new StreamWriter(Path.Combine(folder, "report.html"));
        ReportHtml.Write(html, summary, samplers.ToDictionary(p => p.Key, p => p.Value.Points(), StringComparer.Ordinal));
    }
}
