namespace ProcessOptimizer.Inputs;

/// <summary>
/// Reads the one timestamp form that clients send in nearly every row, <c>yyyy-MM-ddTHH:mm:ssZ</c>, straight from
/// its UTF-8 bytes. The general parser (<see cref="DateTimeOffset.TryParse(string?, IFormatProvider?, System.Globalization.DateTimeStyles, out DateTimeOffset)"/>)
/// tokenises the text against the culture's patterns and cost more than the rest of a row's reading.
/// </summary>
/// <remarks>
/// Anything else, including that form with a date or time that does not exist (a 31 April, 24:00:00, a leap second),
/// is refused here and left to the general parser, which decides it as before; a text accepted here is one the
/// general parser accepts with the same instant and a zero offset.
/// </remarks>
internal static class UtcTimestamp
{
    private const int Length = 20;

    public static bool TryParse(ReadOnlySpan<byte> text, out DateTimeOffset timestamp)
    {
        timestamp = default;
        if (text.Length != Length || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[19] != 'Z'
            || !TryDigits(text[..4], out var year) || !TryDigits(text.Slice(5, 2), out var month) || !TryDigits(text.Slice(8, 2), out var day)
            || !TryDigits(text.Slice(11, 2), out var hour) || !TryDigits(text.Slice(14, 2), out var minute) || !TryDigits(text.Slice(17, 2), out var second))
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        timestamp = new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<byte> digits, out int value)
    {
        value = 0;
        foreach (var b in digits)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            value = (value * 10) + (b - '0');
        }

        return true;
    }
}
