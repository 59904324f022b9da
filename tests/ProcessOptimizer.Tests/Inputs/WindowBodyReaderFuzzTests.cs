using System.Globalization;
using System.Text;
using ProcessOptimizer.Api;
using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Core.Data;
using ProcessOptimizer.Inputs;

namespace ProcessOptimizer.Tests.Inputs;

/// <summary>
/// Issue 15: random bodies of odd but plausible shape (timestamps in many forms and escapes, tags that repeat,
/// move, go missing or come in escaped, numbers past a double) are either left to the full reading or read to
/// exactly its rows; the one-pass reading never accepts a body the full reading refuses.
/// </summary>
public sealed class WindowBodyReaderFuzzTests
{
    private static readonly string[] Timestamps =
    [
        "2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z", "2024-02-29T12:00:00Z", "2026-02-29T00:00:00Z", "1900-02-29T00:00:00Z",
        "2000-02-29T00:00:00Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "0000-01-01T00:00:00Z", "2016-12-31T23:59:60Z",
        "2026-01-01T24:00:00Z", "2026-01-01T00:00:00+14:00", "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00",
        "2026-01-01T00:00:00.9999999Z", "2026-01-01T00:00:00.99999999Z", "2026-01-01T00:00:00.9999991Z", "2026-01-01T00:00:00.0000001Z",
        "2025-12-31T19:00:00.0000009-05:00", "1969-12-31T23:59:59.9999999Z", "1969-12-31T23:59:59.999999Z", "2026-01-01T00:00:00,5Z", "2026-01-01T00:00:00",
        "2026-01-01", "\\u0032026-01-01T00:00:00Z", "2026-01-01T00:00:0\\u0030Z", "2026-01-01T00:00:00\\u005a", " 2026-01-01T00:00:00Z",
        "2026-01-01T00:00:00Z ", "2026-01-01t00:00:00z", "20260101T000000Z", "2026-W01-1", "٢٠٢٦-01-01T00:00:00Z",
        "2026-01-01T00:00:00\\u0000", "2026-01-01T00:00:00Z\\n", "+2026-01-01T00:00:00Z", "-0001-01-01T00:00:00Z", "",
    ];

    private static readonly string[] Tags = ["a", "b", "\\u0061", "b\\u00e9", "bé", "é", "\\u00e9", "日本", "a ", "A", "\\ud83d\\ude00", "😀", "\\/", "/", "\\\"q"];

    private static readonly string[] Values = ["1", "-0", "0.1", "1e400", "-1e-400", "12345678901234567890", "null", "\"1\"", "[1]", "1.7976931348623157e308", "4.9e-324"];

    [Fact]
    public void TryRead_RandomBodies_LeftToOrSameAsTheFullReading()
    {
        var random = new Random(15);
        var accepted = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var body = RandomBody(random);
            var fast = WindowBodyReader.TryRead(Encoding.UTF8.GetBytes(body));
            if (fast is null)
            {
                continue;
            }

            accepted++;
            var (parsed, errors) = JsonBody.Parse(Encoding.UTF8.GetBytes(body));
            Assert.True(errors is null, $"{body}: {string.Join("; ", errors?.Values.SelectMany(v => v) ?? [])}");
            CycleInput full;
            try
            {
                full = InputParser.Parse(parsed!.Value.GetProperty("input_data"));
            }
            catch (InputException ex)
            {
                Assert.Fail($"{body}: the full reading refuses it ({ex.Message}), the one-pass reading accepts it");
                throw;
            }

            Assert.Equal(Describe(full), Describe(fast));
        }

        // The case is not empty: a fair share of bodies are accepted.
        Assert.InRange(accepted, 1_000, 20_000);
    }

    [Fact]
    public void TryRead_MoreTagsThanAreKeptInAnyOrder_SameAsTheFullReading()
    {
        // 300 tags, past the names the reading keeps: the second row lists them backwards, the third rotated by one.
        var tags = Enumerable.Range(0, 300).Select(i => $"t{i}").ToArray();
        string[][] orders = [tags, [.. tags.Reverse()], [.. tags.Skip(1), tags[0]]];
        var body = "{\"input_data\": [" + string.Join(", ", orders.Select((order, row) =>
            $"{{\"timestamp\": \"2026-01-01T00:0{row}:00Z\", \"data\": {{{string.Join(", ", order.Select(t => $"\"{t}\": {t[1..]}.{row}"))}}}}}")) + "]}";

        var fast = WindowBodyReader.TryRead(Encoding.UTF8.GetBytes(body));

        var (parsed, errors) = JsonBody.Parse(Encoding.UTF8.GetBytes(body));
        Assert.Null(errors);
        Assert.NotNull(fast);
        Assert.Equal(Describe(InputParser.Parse(parsed!.Value.GetProperty("input_data"))), Describe(fast));
    }

    private static string RandomBody(Random random)
    {
        var builder = new StringBuilder("{\"input_data\": [");
        var order = Tags.OrderBy(_ => random.Next()).Take(random.Next(1, 5)).ToArray();
        var rows = random.Next(1, 5);
        for (var row = 0; row < rows; row++)
        {
            // Mostly the same tags in the same order; now and then shifted, dropped, added or repeated.
            var tags = random.Next(4) switch
            {
                0 => [.. order.Skip(1), order[0]],
                1 => [.. order.Skip(1)],
                2 => [.. order, Tags[random.Next(Tags.Length)]],
                _ => order,
            };
            var data = string.Join(", ", tags.Select(t => $"\"{t}\": {(random.Next(3) == 0 ? Values[random.Next(Values.Length)] : "1")}"));
            // Rows at times of their own, but for the random ones, which may meet another row's time.
            var time = random.Next(3) == 0 ? Timestamps[random.Next(Timestamps.Length)] : $"2026-01-01T00:00:0{row}Z";
            builder.Append(row > 0 ? ", " : "").Append(random.Next(2) == 0
                ? $"{{\"timestamp\": \"{time}\", \"data\": {{{data}}}}}"
                : $"{{\"data\": {{{data}}}, \"timestamp\": \"{time}\"}}");
        }

        return builder.Append("]}").ToString();
    }

    // Rows, times, and each row's tags in order with their values: what the worker is sent.
    private static string Describe(CycleInput input) => string.Join(" | ", input.Rows.Select(r =>
        $"{r.Timestamp?.ToString("O", CultureInfo.InvariantCulture) ?? "now"}: {string.Join(", ", r.Values.Select(v => $"{v.Key}={v.Value?.ToString("R", CultureInfo.InvariantCulture) ?? "null"}"))}"));
}
