using System.Globalization;
using System.Net;

namespace ProcessOptimizer.Backtests;

/// <summary><c>report.html</c>: the comparison tables and the charts, in one file with inline SVG and no script.</summary>
internal static class ReportHtml
{
    private const string Style = """
        body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}
        table{border-collapse:collapse;margin:8px 0 20px;font-size:90%}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#f3f3f3}
        td:first-child,th:first-child{text-align:left}.note{color:#555;font-size:90%}.title{font-size:14px;font-weight:600}
        .tick{font-size:11px;fill:#444}.axis{stroke:#888}.grid{stroke:#eee}svg{display:block;margin:12px 0}
        """;

    /// <param name="costs">Per version, the cost at the recommendation over time, already cut down for a chart.</param>
    public static void Write(TextWriter html, BacktestSummary summary, IReadOnlyDictionary<string, IReadOnlyList<(DateTimeOffset Time, double Value)>> costs)
    {
        var versions = summary.Versions.Keys.ToList();
        html.WriteLine($"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Backtest {summary.Id}</title><style>{Style}</style></head><body>");
        html.WriteLine(Invariant($"<h1>Backtest {summary.Id}: {E(summary.Strategy)}</h1><p>{summary.From:yyyy-MM-dd HH:mm} to {summary.To:yyyy-MM-dd HH:mm} UTC, a step every {TimeSpan.FromSeconds(summary.StepSeconds)}, versions {E(string.Join(", ", versions))}.</p>"));
        Comparison(html, summary);
        var outcomes = summary.Versions.Values.SelectMany(v => v.Outcomes).Where(p => p.Value > 0).Select(p => p.Key).Distinct().ToList();
        html.WriteLine(SvgChart.Bars("Steps by outcome", outcomes, [.. summary.Versions.Select(p => (p.Key, (IReadOnlyList<double>)[.. outcomes.Select(o => (double)p.Value.Outcomes[o])]))]));
        html.WriteLine(SvgChart.Lines("Cost at the recommendation over time", [.. versions.Select(v => (v, (IReadOnlyList<(double, double)>)[.. costs[v].Select(p => ((double)p.Time.ToUnixTimeSeconds(), p.Value))]))], Time));
        string[] quantiles = ["min", "p10", "p25", "median", "p75", "p90", "max"];
        html.WriteLine(SvgChart.Bars("Cost distribution over solved steps", quantiles, [.. summary.Versions.Select(p => (p.Key, (IReadOnlyList<double>)[.. new[] { p.Value.Cost.Min, p.Value.Cost.P10, p.Value.Cost.P25, p.Value.Cost.Median, p.Value.Cost.P75, p.Value.Cost.P90, p.Value.Cost.Max }.Select(v => v ?? double.NaN)]))]));
        var decisions = summary.Versions.Values.SelectMany(v => v.Decisions.Keys).Distinct().ToList();
        html.WriteLine(SvgChart.Bars("Mean absolute move per decision variable", decisions, [.. summary.Versions.Select(p => (p.Key, (IReadOnlyList<double>)[.. decisions.Select(d => p.Value.Decisions.TryGetValue(d, out var s) ? s.MeanAbsMove : double.NaN)]))]));
        Decisions(html, summary);
        Models(html, summary);
        IfFollowedTable(html, summary);
        html.WriteLine("</body></html>");
    }

    private static void Comparison(TextWriter html, BacktestSummary summary)
    {
        var outcomes = summary.Versions.Values.First().Outcomes.Keys.ToList();
        html.WriteLine("<h2>Comparison</h2><table><tr><th>version</th><th>steps</th>" + string.Concat(outcomes.Select(o => $"<th>{E(o)}</th>")) + "<th>mean cost</th><th>median cost</th></tr>");
        foreach (var (version, s) in summary.Versions)
        {
            html.WriteLine($"<tr><td>{E(version)}</td><td>{s.Steps}</td>" + string.Concat(outcomes.Select(o => $"<td>{s.Outcomes[o]}</td>")) + $"<td>{N(s.Cost.Mean)}</td><td>{N(s.Cost.Median)}</td></tr>");
        }

        html.WriteLine("</table>");
    }

    private static void Decisions(TextWriter html, BacktestSummary summary)
    {
        html.WriteLine("<h2>Decision variables</h2><p class='note'>Over the solved steps. Agreement: where the recommendation moves the variable, the share of steps where the operators moved it the same way by the next step.</p>");
        html.WriteLine("<table><tr><th>version</th><th>variable</th><th>mean |move|</th><th>at move limit</th><th>at hard limit</th><th>agreement</th><th>samples</th></tr>");
        foreach (var (version, s) in summary.Versions)
        {
            foreach (var (name, d) in s.Decisions)
            {
                html.WriteLine($"<tr><td>{E(version)}</td><td>{E(name)}</td><td>{N(d.MeanAbsMove)}</td><td>{P(d.AtMoveLimit)}</td><td>{P(d.AtHardLimit)}</td><td>{P(d.Agreement)}</td><td>{d.AgreementSamples}</td></tr>");
            }
        }

        html.WriteLine("</table>");
    }

    private static void Models(TextWriter html, BacktestSummary summary)
    {
        html.WriteLine("<h2>Model quality</h2><p class='note'>Each step's prediction for the current values against the tag measured the model's horizon after the step's newest row; error = predicted − measured.</p>");
        html.WriteLine("<table><tr><th>version</th><th>prediction</th><th>tag</th><th>horizon (min)</th><th>samples</th><th>MAE</th><th>bias</th><th>R²</th></tr>");
        var drift = new List<(string, IReadOnlyList<(double, double)>)>();
        foreach (var (version, s) in summary.Versions)
        {
            foreach (var (name, q) in s.ModelQuality)
            {
                html.WriteLine($"<tr><td>{E(version)}</td><td>{E(name)}</td><td>{E(q.Tag)}</td><td>{N(q.HorizonMinutes)}</td><td>{q.Samples}</td><td>{N(q.Mae)}</td><td>{N(q.Bias)}</td><td>{N(q.R2)}</td></tr>");
                drift.Add(($"{version} MAE", [.. q.Drift.Where(d => d.Mae is not null).Select(d => (Mid(d), d.Mae!.Value))]));
                drift.Add(($"{version} bias", [.. q.Drift.Where(d => d.Bias is not null).Select(d => (Mid(d), d.Bias!.Value))]));
            }
        }

        html.WriteLine("</table>");
        html.WriteLine(SvgChart.Lines("Model drift: MAE and bias over the period", drift, Time));
    }

    private static void IfFollowedTable(TextWriter html, BacktestSummary summary)
    {
        html.WriteLine($"<h2>If followed</h2><p class='note'><strong>A {E(IfFollowed.EstimateLabel)}.</strong> Saving = cost at what the operators did (the decision variables at the next step) − cost at the recommendation.</p>");
        html.WriteLine("<table><tr><th>version</th><th>steps</th><th>mean cost, recommended</th><th>mean cost, operators</th><th>estimated saving per step</th></tr>");
        foreach (var (version, s) in summary.Versions)
        {
            html.WriteLine($"<tr><td>{E(version)}</td><td>{s.IfFollowed.Steps}</td><td>{N(s.IfFollowed.MeanCostRecommended)}</td><td>{N(s.IfFollowed.MeanCostOperators)}</td><td>{N(s.IfFollowed.Saving)}</td></tr>");
        }

        html.WriteLine("</table>");
    }

    private static double Mid(DriftSlice slice) => (slice.From.ToUnixTimeSeconds() + slice.To.ToUnixTimeSeconds()) / 2.0;

    private static string Time(double unixSeconds) => DateTimeOffset.FromUnixTimeSeconds((long)unixSeconds).ToString("MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string N(double? value) => value is { } v && double.IsFinite(v) ? v.ToString("G5", CultureInfo.InvariantCulture) : "–";

    private static string P(double? value) => value is { } v ? v.ToString("P1", CultureInfo.InvariantCulture) : "–";

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
