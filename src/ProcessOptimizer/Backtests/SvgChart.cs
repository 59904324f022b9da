using System.Globalization;
using System.Net;
using System.Text;

namespace ProcessOptimizer.Backtests;

/// <summary>Small charts as inline SVG, so a report is one file that needs no script and no network.</summary>
internal static class SvgChart
{
    public static readonly string[] Palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"];

    private const double Width = 760;
    private const double Height = 260;
    private const double Left = 70;
    private const double Right = 20;
    private const double Top = 30;
    private const double Bottom = 40;

    /// <summary>Lines over a numeric x axis; <paramref name="xLabel"/> prints a tick's value.</summary>
    public static string Lines(string title, IReadOnlyList<(string Name, IReadOnlyList<(double X, double Y)> Points)> series, Func<double, string> xLabel)
    {
        var all = series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.Y)).ToList();
        if (all.Count == 0)
        {
            return Empty(title);
        }

        var (x0, x1) = (all.Min(p => p.X), all.Max(p => p.X));
        x1 = x1 > x0 ? x1 : x0 + 1;
        var (y0, y1) = Range(all.Select(p => p.Y));
        var svg = Open(title, y0, y1);
        for (var t = 0; t <= 4; t++)
        {
            var x = x0 + ((x1 - x0) * t / 4);
            svg.Append(Invariant($"<text x='{X(x, x0, x1):F1}' y='{Height - 18}' text-anchor='middle' class='tick'>{Escape(xLabel(x))}</text>"));
        }

        foreach (var (s, i) in series.Select((s, i) => (s, i)))
        {
            var points = string.Join(" ", s.Points.Where(p => double.IsFinite(p.Y)).Select(p => Invariant($"{X(p.X, x0, x1):F1},{Y(p.Y, y0, y1):F1}")));
            svg.Append(Invariant($"<polyline fill='none' stroke='{Palette[i % Palette.Length]}' stroke-width='1.5' points='{points}'/>"));
        }

        return Close(svg, series.Select(s => s.Name));
    }

    /// <summary>Grouped vertical bars: one group per category, one bar per series.</summary>
    public static string Bars(string title, IReadOnlyList<string> categories, IReadOnlyList<(string Name, IReadOnlyList<double> Values)> series)
    {
        var values = series.SelectMany(s => s.Values).Where(double.IsFinite).ToList();
        if (values.Count == 0 || categories.Count == 0)
        {
            return Empty(title);
        }

        var (y0, y1) = Range(values.Append(0));
        var svg = Open(title, y0, y1);
        var group = (Width - Left - Right) / categories.Count;
        var bar = group * 0.8 / Math.Max(1, series.Count);
        for (var c = 0; c < categories.Count; c++)
        {
            svg.Append(Invariant($"<text x='{Left + (group * (c + 0.5)):F1}' y='{Height - 18}' text-anchor='middle' class='tick'>{Escape(categories[c])}</text>"));
            for (var s = 0; s < series.Count; s++)
            {
                var v = series[s].Values[c];
                if (!double.IsFinite(v))
                {
                    continue;
                }

                var (top, bottom) = (Y(Math.Max(v, 0), y0, y1), Y(Math.Min(v, 0), y0, y1));
                svg.Append(Invariant($"<rect x='{Left + (group * c) + (group * 0.1) + (bar * s):F1}' y='{top:F1}' width='{bar:F1}' height='{Math.Max(0.5, bottom - top):F1}' fill='{Palette[s % Palette.Length]}'><title>{Escape(series[s].Name)} {Escape(categories[c])}: {v:G4}</title></rect>"));
            }
        }

        return Close(svg, series.Select(s => s.Name));
    }

    private static StringBuilder Open(string title, double y0, double y1)
    {
        var svg = new StringBuilder(Invariant($"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {Width} {Height}' width='{Width}' height='{Height}' role='img'>"));
        svg.Append(Invariant($"<text x='{Left}' y='18' class='title'>{Escape(title)}</text>"));
        svg.Append(Invariant($"<line x1='{Left}' y1='{Height - Bottom}' x2='{Width - Right}' y2='{Height - Bottom}' class='axis'/><line x1='{Left}' y1='{Top}' x2='{Left}' y2='{Height - Bottom}' class='axis'/>"));
        for (var t = 0; t <= 4; t++)
        {
            var y = y0 + ((y1 - y0) * t / 4);
            svg.Append(Invariant($"<line x1='{Left}' y1='{Y(y, y0, y1):F1}' x2='{Width - Right}' y2='{Y(y, y0, y1):F1}' class='grid'/><text x='{Left - 6}' y='{Y(y, y0, y1) + 4:F1}' text-anchor='end' class='tick'>{y:G4}</text>"));
        }

        return svg;
    }

    private static string Close(StringBuilder svg, IEnumerable<string> names)
    {
        var x = Left;
        foreach (var (name, i) in names.Select((n, i) => (n, i)))
        {
            svg.Append(Invariant($"<rect x='{x:F1}' y='{Height - 12}' width='10' height='10' fill='{Palette[i % Palette.Length]}'/><text x='{x + 14:F1}' y='{Height - 3}' class='tick'>{Escape(name)}</text>"));
            x += 24 + (7 * name.Length);
        }

        return svg.Append("</svg>").ToString();
    }

    private static string Empty(string title) => Invariant($"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {Width} 60' width='{Width}' height='60'><text x='{Left}' y='18' class='title'>{Escape(title)}</text><text x='{Left}' y='44' class='tick'>no data</text></svg>");

    private static (double Low, double High) Range(IEnumerable<double> values)
    {
        var list = values.Where(double.IsFinite).ToList();
        var (low, high) = (list.Min(), list.Max());
        var pad = high > low ? (high - low) * 0.05 : Math.Max(1, Math.Abs(high) * 0.05);
        return (low - pad, high + pad);
    }

    private static double X(double x, double x0, double x1) => Left + ((x - x0) / (x1 - x0) * (Width - Left - Right));

    private static double Y(double y, double y0, double y1) => Height - Bottom - ((y - y0) / (y1 - y0) * (Height - Top - Bottom));

    private static string Escape(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
