using System.Globalization;

namespace ProcessOptimizer.Backtests;

/// <summary>Durations as people write them: <c>30s</c>, <c>5m</c>, <c>1h</c>, <c>2d</c>, or <c>hh:mm:ss</c>.</summary>
public static class Durations
{
    // TimeSpan's own limit: a longer duration overflowed in TimeSpan.FromSeconds (a 500 for a backtest's step).
    private static readonly double MaxSeconds = TimeSpan.MaxValue.TotalSeconds;

    // The shortest duration taken: '1e-9s' became TimeSpan.Zero and a backtest was started with a step of zero.
    // Process data is stored per second at the finest, so a shorter step or horizon means nothing.
    private static readonly TimeSpan Shortest = TimeSpan.FromSeconds(1);

    /// <exception cref="FormatException">
    /// The text is not a duration of at least a second, is longer than a TimeSpan holds, or is a number without a
    /// unit; the message quotes it.
    /// </exception>
    public static TimeSpan Parse(string text)
    {
        var span = Read(text);
        return span >= Shortest
            ? span
            : throw new FormatException($"'{Core.Strategies.Echo.Short(text)}' is shorter than the shortest duration taken, 1s");
    }

    private static TimeSpan Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var unit = text.Length > 0 ? text[^1] : ' ';
        var scale = unit switch { 's' => 1.0, 'm' => 60.0, 'h' => 3600.0, 'd' => 86400.0, _ => 0 };
        if (scale > 0 && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount > 0)
        {
            return amount * scale < MaxSeconds
                ? TimeSpan.FromSeconds(amount * scale)
                : throw new FormatException($"'{Core.Strategies.Echo.Short(text)}' is longer than the longest duration taken, {TimeSpan.MaxValue.Days} days");
        }

        // TimeSpan reads a bare number as days: a backtest's step of "300", meant as seconds, ran one step 300 days
        // long and answered 202 as if all were well. A number needs its unit; a clock time needs its colons.
        if (scale == 0 && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            throw new FormatException($"'{Core.Strategies.Echo.Short(text)}' has no unit: write seconds, minutes, hours or days as 300s, 5m, 1h or 2d");
        }

        return scale == 0 && text.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero
            ? span
            : throw new FormatException($"'{Core.Strategies.Echo.Short(text)}' is not a positive duration such as 30s, 5m, 1h, 2d or 00:05:00");
    }
}
