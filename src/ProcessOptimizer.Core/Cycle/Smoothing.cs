using ProcessOptimizer.Core.Strategies;

namespace ProcessOptimizer.Core.Cycle;

/// <summary>The seed's smoothing of an Absolute input over history rows <c>[-(lag+offset), -lag)</c>.</summary>
internal static class Smoothing
{
    /// <summary>The smoothed value; <paramref name="note"/> says which rows were used when the history was short.</summary>
    /// <exception cref="CycleException">The window holds no finite value.</exception>
    public static double Apply(string variable, double[] column, LagOffset window, SmoothingMethod method, double? alpha, out string? note)
    {
        var rows = column.Length;
        var end = rows - window.Lag;
        var start = end - window.Offset;
        note = null;
        if (start < 0 || end < 1)
        {
            // Unlike the seed, a short history (one-row API input) uses the rows there are, never an empty window.
            var usedEnd = Math.Clamp(end, 1, rows);
            var usedStart = Math.Clamp(start, 0, usedEnd - 1);
            note = $"'{variable}' needs {window.Lag + window.Offset} history rows (lag {window.Lag}, offset {window.Offset}) but {rows} were given; smoothed over rows {usedStart}..{usedEnd - 1} ({usedEnd - usedStart} of {window.Offset})";
            (start, end) = (usedStart, usedEnd);
        }

        var count = 0;
        var sum = 0.0;
        var ewm = double.NaN;
        var a = alpha ?? 0.5;
        for (var r = start; r < end; r++)
        {
            var x = column[r];
            if (!double.IsFinite(x))
            {
                continue;
            }

            count++;
            sum += x;
            // pandas ewm(adjust=False): y0 = x0, then y = (1 - alpha) y + alpha x.
            ewm = double.IsNaN(ewm) ? x : ((1 - a) * ewm) + (a * x);
        }

        if (count == 0)
        {
            throw new CycleException(CycleFailure.BadData, $"'{variable}' has no valid value in history rows {start}..{end - 1}");
        }

        return method == SmoothingMethod.Ewm ? ewm : sum / count;
    }
}
