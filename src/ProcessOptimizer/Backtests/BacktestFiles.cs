using System.Text.Json;
using ProcessOptimizer.Core.Backtests;
using ProcessOptimizer.Results;

namespace ProcessOptimizer.Backtests;

/// <summary>
/// A finished backtest as files (<c>summary.json</c>, <c>steps.csv</c>, <c>report.html</c>) or as the report alone.
/// Steps are read back a page at a time, so a long backtest is never held whole.
/// </summary>
internal static class BacktestFiles
{
    private const int Page = 1000;

    public static async Task WriteAsync(IBacktestStore store, BacktestSummary summary, IReadOnlyList<BacktestVersion> versions, string folder, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "summary.json"), JsonSerializer.Serialize(summary, ResultJson.Options), cancellationToken).ConfigureAwait(false);
        var costs = Samplers(summary);
        await using (var csv = new StreamWriter(Path.Combine(folder, "steps.csv")))
        {
            var steps = new StepsCsv(csv, [.. versions.SelectMany(v => v.Decisions).Distinct(StringComparer.Ordinal)]);
            steps.WriteHeader();
            await EachStepAsync(store, summary.Id, step =>
            {
                steps.Write(step);
                Sample(costs, step);
            }, cancellationToken).ConfigureAwait(false);
        }

        await using var html = new StreamWriter(Path.Combine(folder, "report.html"));
        ReportHtml.Write(html, summary, Points(costs));
    }

    public static async Task<string> HtmlAsync(IBacktestStore store, BacktestSummary summary, CancellationToken cancellationToken)
    {
        var costs = Samplers(summary);
        await EachStepAsync(store, summary.Id, step => Sample(costs, step), cancellationToken).ConfigureAwait(false);
        using var html = new StringWriter();
        ReportHtml.Write(html, summary, Points(costs));
        return html.ToString();
    }

    private static async Task EachStepAsync(IBacktestStore store, long id, Action<BacktestStep> each, CancellationToken cancellationToken)
    {
        for (var offset = 0; ; offset += Page)
        {
            var page = await store.StepsAsync(id, null, offset, Page, cancellationToken).ConfigureAwait(false);
            foreach (var step in page)
            {
                each(step);
            }

            if (page.Count < Page)
            {
                return;
            }
        }
    }

    private static Dictionary<string, SeriesSampler> Samplers(BacktestSummary summary) =>
        summary.Versions.Keys.ToDictionary(v => v, _ => new SeriesSampler(summary.From, summary.To), StringComparer.Ordinal);

    private static void Sample(Dictionary<string, SeriesSampler> costs, BacktestStep step)
    {
        if (step.Cost is { } cost && BacktestSteps.Solved.Contains(step.Outcome) && costs.TryGetValue(step.Version, out var sampler))
        {
            sampler.Add(step.Time, cost);
        }
    }

    private static Dictionary<string, IReadOnlyList<(DateTimeOffset Time, double Value)>> Points(Dictionary<string, SeriesSampler> costs) =>
        costs.ToDictionary(p => p.Key, p => p.Value.Points(), StringComparer.Ordinal);
}
