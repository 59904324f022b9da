using System.Globalization;

namespace ProcessOptimizer.Backtests;

/// <summary>Durations as people write them: <c>30s</c>, <c>5m</c>, <c>1h</c>, <c>2d</c>, or <c>hh:mm:ss</c>.</summary>
public static class Durations
{
    /// <exception cref="FormatException">The text is not a positive duration; the message quotes it.</exception>
    public static TimeSpan Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var unit = text.Length > 0 ? text[^1] : ' ';
        var scale = unit switch { 's' => 1.0, 'm' => 60.0, 'h' => 3600.0, 'd' => 86400.0, _ => 0 };
        if (scale > 0 && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount > 0 && double.IsFinite(amount * scale))
        {
            return TimeSpan.FromSeconds(amount * scale);
        }

        return scale == 0 && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero
            ? span
            : throw new FormatException($"'{Core.Strategies.Echo.Short(text)}' is not a positive duration such as 30s, 5m, 1h or 2d");
    }
}
