namespace ProcessOptimizer.Inputs;

/// <summary>
/// Reads the number form that process data nearly always comes in, <c>-?digits(.digits)?</c> with at most 2^53 as
/// its digits, straight from its UTF-8 bytes. The general parser (<see cref="System.Text.Json.Utf8JsonReader.GetDouble"/>)
/// goes through a digit buffer built for any length and exponent, and was a fifth of a window's reading.
/// </summary>
/// <remarks>
/// Its digits as an integer and the power of ten below them are both exact doubles here, so their quotient, one
/// IEEE division, is the correctly rounded value of the text: the double the general parser returns, bit for bit
/// (a minus sign on zero included). Any other form (an exponent, more digits, a fraction of more than 22 digits) is
/// refused, and the caller reads it the general way.
/// </remarks>
internal static class PlainDecimal
{
    private const ulong ExactLimit = 1UL << 53;

    private static readonly double[] PowersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <param name="text">A JSON number token, already checked by the reader.</param>
    public static bool TryParse(ReadOnlySpan<byte> text, out double value)
    {
        value = 0;
        var negative = text.Length > 0 && text[0] == '-';
        var at = negative ? 1 : 0;
        ulong digits = 0;
        var fraction = -1;
        var any = false;
        var significant = 0;
        for (; at < text.Length; at++)
        {
            var b = text[at];
            if (b == '.' && fraction < 0)
            {
                fraction = 0;
                continue;
            }

            // 18 significant digits cannot overflow; past 2^53 (16 digits) the quotient below would not be exact anyway.
            if (b is < (byte)'0' or > (byte)'9' || (digits != 0 && ++significant > 17))
            {
                return false;
            }

            digits = (digits * 10) + (ulong)(b - '0');
            fraction = fraction < 0 ? fraction : fraction + 1;
            any = true;
        }

        if (!any || fraction == 0 || digits > ExactLimit || fraction >= PowersOfTen.Length)
        {
            return false;
        }

        var magnitude = fraction > 0 ? digits / PowersOfTen[fraction] : digits;
        value = negative ? -magnitude : magnitude;
        return true;
    }
}
