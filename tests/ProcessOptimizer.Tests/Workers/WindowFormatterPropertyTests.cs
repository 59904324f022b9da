using System.Text;
using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Workers;

namespace ProcessOptimizer.Tests.Workers;

/// <summary>
/// Issue 15: whatever window a request carries, a worker solves the window this process would. Random windows, sent
/// as rows (a request body's) and as a window (the loop's), arrive through the channel as the window of the rows
/// sent: the same tags in the same order, times with their offsets, and every cell absent, null or its value's bits.
/// </summary>
public sealed class WindowFormatterPropertyTests
{
    [Theory]
    [InlineData(1, 400)]
    [InlineData(2, 40)]
    public void Request_RandomWindows_ArriveAsTheWindowOfTheRowsSent(int seed, int windows)
    {
        var random = new Random(seed);
        for (var w = 0; w < windows; w++)
        {
            var rows = Rows(random, seed == 2);
            foreach (var sent in new IReadOnlyList<ProcessRow>[] { rows, ProcessWindow.Of(rows) })
            {
                AssertSameWindow(ProcessWindow.Of(rows), RoundTrip(sent), $"seed {seed}, window {w}, sent as {sent.GetType().Name}");
            }
        }
    }

    private static ProcessWindow RoundTrip(IReadOnlyList<ProcessRow> rows)
    {
        var request = new SolveRequest(WorkerProtocol.Version, "1.0.0", null, rows, 100, 1e-8, true, 30, new Dictionary<string, string>());
        using var channel = new MemoryStream();
        WorkerProtocol.Write(channel, request);
        channel.Position = 0;
        return Assert.IsType<ProcessWindow>(WorkerProtocol.Read<SolveRequest>(channel)!.Rows);
    }

    private static void AssertSameWindow(ProcessWindow expected, ProcessWindow received, string where)
    {
        Assert.True(expected.Tags.SequenceEqual(received.Tags, StringComparer.Ordinal), $"{where}: tags differ");
        Assert.True(expected.Count == received.Count, $"{where}: {received.Count} rows, not {expected.Count}");
        for (var r = 0; r < expected.Count; r++)
        {
            var (time, got) = (expected.Timestamp(r), received.Timestamp(r));
            if (time?.Ticks != got?.Ticks || time?.Offset != got?.Offset)
            {
                Assert.Fail($"{where}: row {r}'s time {got:o}, not {time:o}");
            }

            for (var t = 0; t < expected.Tags.Count; t++)
            {
                // Messages are made only for a failure: a window has up to thousands of cells.
                if (expected.Has(r, t) != received.Has(r, t) || Bits(expected.Value(r, t)) != Bits(received.Value(r, t))
                    || BitConverter.DoubleToInt64Bits(expected.Column(t)[r]) != BitConverter.DoubleToInt64Bits(received.Column(t)[r]))
                {
                    Assert.Fail($"{where}: row {r}, tag {t}: present {received.Has(r, t)} with {received.Value(r, t)} (column {received.Column(t)[r]}), not {expected.Has(r, t)} with {expected.Value(r, t)} (column {expected.Column(t)[r]})");
                }
            }
        }
    }

    private static long? Bits(double? value) => value is { } v ? BitConverter.DoubleToInt64Bits(v) : null;

    // Rows naming tags from one pool, each in an order of its own, some left out, some null; with large, a window
    // of thousands of rows or one of hundreds of tags. A tag is sometimes another string of the same text, as when rows
    // are not read from one body.
    private static List<ProcessRow> Rows(Random random, bool large)
    {
        var manyTags = random.Next(2) == 0;
        var pool = Enumerable.Range(0, large && manyTags ? random.Next(1, 400) : random.Next(0, 24)).Select(_ => Name(random)).Distinct(StringComparer.Ordinal).ToArray();
        var count = large && !manyTags ? random.Next(1, 3000) : random.Next(1, 12);
        var rows = new List<ProcessRow>(count);
        for (var r = 0; r < count; r++)
        {
            var values = new Dictionary<string, double?>(StringComparer.Ordinal);
            foreach (var tag in pool.OrderBy(_ => random.Next()).Where(_ => random.Next(5) > 0 || !large))
            {
                if (random.Next(4) == 0 && !large)
                {
                    continue;
                }

                values[random.Next(3) == 0 ? new string(tag.AsSpan()) : tag] = random.Next(8) == 0 ? null : Value(random);
            }

            rows.Add(new ProcessRow(Time(random), values));
        }

        return rows;
    }

    private static readonly double[] Odd = [double.NaN, -0.0, 0.0, double.Epsilon, -double.Epsilon, double.MaxValue, double.MinValue, double.PositiveInfinity, double.NegativeInfinity, 1e-310, BitConverter.Int64BitsToDouble(unchecked((long)0xFFF8_0000_0000_0001))];

    private static double Value(Random random) => random.Next(3) switch
    {
        0 => Odd[random.Next(Odd.Length)],
        1 => BitConverter.Int64BitsToDouble(random.NextInt64(long.MinValue, long.MaxValue)),
        _ => Math.Round(random.NextDouble() * 2000 - 1000, random.Next(0, 16)),
    };

    private static DateTimeOffset? Time(Random random)
    {
        if (random.Next(10) == 0)
        {
            return null;
        }

        var offset = TimeSpan.FromMinutes(random.Next(-14 * 60, 14 * 60 + 1));
        var earliest = Math.Max(DateTimeOffset.MinValue.Ticks, -offset.Ticks);
        var latest = Math.Min(DateTimeOffset.MaxValue.Ticks, DateTimeOffset.MaxValue.Ticks - offset.Ticks);
        var ticks = random.Next(4) == 0 ? random.NextInt64(earliest, latest + 1) : new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).Ticks + random.NextInt64(0, TimeSpan.TicksPerDay * 365);
        return new DateTimeOffset(Math.Clamp(ticks, earliest, latest), offset);
    }

    // Names of ASCII, accents, astral characters (surrogate pairs), controls and the empty name.
    private static string Name(Random random)
    {
        string[] pieces = ["Kiln", "_", "PV", "é", "°C", "𝛼", "🔥", "\0", "\t", " ", "\"", "\\", "a", "A", "ß", "ﬀ", "\u0301"];
        var name = new StringBuilder();
        for (var i = random.Next(0, 6); i > 0; i--)
        {
            name.Append(pieces[random.Next(pieces.Length)]);
        }

        return name.ToString();
    }
}
