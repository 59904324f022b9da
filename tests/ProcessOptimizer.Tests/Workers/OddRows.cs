using ProcessOptimizer.Core.Cycle;

namespace ProcessOptimizer.Tests.Workers;

/// <summary>
/// Rows as a hostile or careless client might send them: tags in another order in every row, some left out, names
/// that differ only in their Unicode form or case, values that are NaN with payloads, infinities, signed zeros and
/// subnormals, nulls, rows without a time and times at any offset.
/// </summary>
internal static class OddRows
{
    private static readonly string[] Names =
    [
        "a", "A", "\u00e9", "e\u0301", "\u6e29\u5ea6", "\ud83d\udd25 kiln", "", " ", "a\u0000b", "\u05d8\u05de\u05e4", "x.y[0]",
        new string('n', 300), "TAG_1", "tag_1",
    ];

    private static readonly double[] Odd =
    [
        double.NaN, BitConverter.Int64BitsToDouble(0x7FF8_0000_0000_0000), BitConverter.Int64BitsToDouble(0x7FF8_0000_0000_0001), BitConverter.Int64BitsToDouble(unchecked((long)0xFFF0_0000_0000_0001)),
        double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0, double.Epsilon, -double.Epsilon, double.MaxValue, double.MinValue,
    ];

    public static ProcessRow[] Make(int count, Random random)
    {
        var rows = new ProcessRow[count];
        for (var r = 0; r < count; r++)
        {
            var values = new Dictionary<string, double?>(StringComparer.Ordinal);
            foreach (var name in Names.OrderBy(_ => random.Next()).Where(_ => random.Next(4) > 0))
            {
                values[name] = random.Next(10) switch
                {
                    0 => null,
                    1 => Odd[random.Next(Odd.Length)],
                    _ => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-300, 300)),
                };
            }

            rows[r] = new ProcessRow(random.Next(10) == 0 ? null : Time(random), values);
        }

        return rows;
    }

    // A day from either end of the range, so that any offset of ±14 hours still names a real moment.
    private static DateTimeOffset Time(Random random) =>
        new DateTimeOffset(random.NextInt64(TimeSpan.TicksPerDay, DateTime.MaxValue.Ticks - TimeSpan.TicksPerDay), TimeSpan.Zero)
            .ToOffset(TimeSpan.FromMinutes(random.Next(-840, 841)));
}
