using System.Globalization;
using System.Text;
using System.Text.Json;
using ProcessOptimizer.Core.Data;
using ProcessOptimizer.Inputs;

namespace ProcessOptimizer.Tests.Inputs;

/// <summary>
/// An <c>/optimize</c> body's times are kept to the microsecond by both readings, and two rows at one time, to the
/// microsecond, are refused by name: neither merged nor left for the cycle to take in body order.
/// </summary>
public sealed class InputTimesTests
{
    [Theory]
    [InlineData("2026-01-03T17:19:00.1234567Z", "2026-01-03T17:19:00.1234560+00:00")]
    [InlineData("2026-01-03T17:19:00.123456Z", "2026-01-03T17:19:00.1234560+00:00")]
    [InlineData("2026-01-03T17:19:00.123Z", "2026-01-03T17:19:00.1230000+00:00")]
    [InlineData("2026-01-03T17:19:00Z", "2026-01-03T17:19:00.0000000+00:00")]
    [InlineData("2025-12-31T23:59:59.9999999Z", "2025-12-31T23:59:59.9999990+00:00")]
    [InlineData("2025-12-31T23:59:59.9999999-05:00", "2026-01-01T04:59:59.9999990+00:00")]
    [InlineData("2026-01-01T05:29:59.9999999+05:30", "2025-12-31T23:59:59.9999990+00:00")]
    [InlineData("1969-12-31T23:59:59.9999999Z", "1969-12-31T23:59:59.9999990+00:00")]
    [InlineData("9999-12-31T23:59:59.9999999Z", "9999-12-31T23:59:59.9999990+00:00")]
    public void Read_TimeInAnyForm_KeptToTheMicrosecondByBothReadings(string given, string kept)
    {
        var body = $$$"""{"input_data": [{"timestamp": "{{{given}}}", "data": {"a": 1}}]}""";

        var fast = WindowBodyReader.TryRead(Encoding.UTF8.GetBytes(body));
        using var document = JsonDocument.Parse(body);
        var full = InputParser.Parse(document.RootElement.GetProperty("input_data"));

        Assert.Equal(kept, full.Newest.Timestamp!.Value.ToString("O", CultureInfo.InvariantCulture));
        Assert.Equal(kept, fast!.Newest.Timestamp!.Value.ToString("O", CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("2026-01-01T00:00:00.1234567Z", "2026-01-01T00:00:00.1234568Z", "input_data[3].timestamp: repeats the time of input_data[1] to the microsecond, 2026-01-01T00:00:00.123456Z, the precision times are kept to")]
    [InlineData("2025-12-31T23:59:59.9999999Z", "2025-12-31T18:59:59.9999990-05:00", "input_data[3].timestamp: repeats the time of input_data[1] to the microsecond, 2025-12-31T23:59:59.999999Z, the precision times are kept to")]
    [InlineData("2026-01-01T00:00:00Z", "2026-01-01T01:00:00+01:00", "input_data[3].timestamp: repeats the time of input_data[1]")]
    [InlineData("2026-01-01T00:00:00.1234567Z", "2026-01-01T00:00:00.1234567Z", "input_data[3].timestamp: repeats the time of input_data[1]")]
    public void Parse_TwoRowsAtOneTime_RefusedNamingBoth(string first, string second, string expected)
    {
        var body = $$$"""
            {"input_data": [{"timestamp": "2026-01-01T00:05:00Z", "data": {"a": 0}}, {"timestamp": "{{{first}}}", "data": {"a": 1}},
            {"timestamp": "2025-06-01T00:00:00Z", "data": {"a": 2}}, {"timestamp": "{{{second}}}", "data": {"a": 3}}]}
            """;

        Assert.Null(WindowBodyReader.TryRead(Encoding.UTF8.GetBytes(body)));
        using var document = JsonDocument.Parse(body);
        var error = Assert.Throws<InputException>(() => InputParser.Parse(document.RootElement.GetProperty("input_data")));

        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void Parse_SeveralTimesRepeated_NamesTheFirstPairAndCountsTheOthers()
    {
        var rows = string.Join(", ", new[] { "00:00:00.1", "00:00:00.1000001", "00:01:00", "00:01:00+00:00", "00:02:00", "00:02:00.0000009" }
            .Select((t, i) => $$$"""{"timestamp": "2026-01-01T{{{t}}}{{{(t.Contains('+', StringComparison.Ordinal) ? "" : "Z")}}}", "data": {"a": {{{i}}}}}"""));
        using var document = JsonDocument.Parse($$$"""{"input_data": [{{{rows}}}]}""");

        var error = Assert.Throws<InputException>(() => InputParser.Parse(document.RootElement.GetProperty("input_data")));

        Assert.Equal("input_data[1].timestamp: repeats the time of input_data[0] to the microsecond, 2026-01-01T00:00:00.100000Z, the precision times are kept to; 2 more rows repeat a time", error.Message);
    }
}
