using System.Text;
using System.Text.Json;
using ProcessOptimizer.Core.Cycle;
using ProcessOptimizer.Inputs;

namespace ProcessOptimizer.Tests.Inputs;

/// <summary>
/// Issue 15: the one-pass reading of an <c>/optimize</c> body gives exactly the rows of the full reading, and
/// leaves every body it does not fully accept to the full reading, which names the problem.
/// </summary>
public sealed class WindowBodyReaderTests
{
    public static TheoryData<string> UsualBodies => new(
        """{"input_data": {"a": 1.5, "b": null, "c": -2e-3}}""",
        """{"input_data": {}}""",
        """{"input_data": [{"timestamp": "2026-01-01T00:02:00Z", "data": {"a": 3}}, {"data": {"a": 1, "b": 2}, "timestamp": "2026-01-01T00:00:00+01:00"}, {"timestamp": "2026-01-01T00:01:00", "data": {"b": null, "a": 2}}]}""",
        """{"input_data": [{"timestamp": "2026-01-01T00:00:00Z", "data": {"\u0061": 1, "b\u00e9": 2}}, {"timestamp": "2026-01-01T00:01:00Z", "data": {"a": 4, "bé": 5}}]}""",
        // Beyond the range of a double: infinity either way.
        """{"input_data": {"a": 1e400, "b": -1e400}}""",
        " \n{ \"input_data\" : [ { \"timestamp\" : \"2026-01-01T00:00:00Z\" , \"data\" : { \"a\" : 12345678901234567890 } } ] }\n ",
        // Issue 19: timestamps beside the usual form (read from its bytes), which the general parser reads as before.
        """{"input_data": [{"timestamp": "2024-02-29T23:59:59Z", "data": {"a": 1}}, {"timestamp": "2026-01-01T00:00:00.1234567Z", "data": {"a": 2}}, {"timestamp": "2026-01-01T00:00:00z", "data": {"a": 3}}, {"timestamp": "2026-01-01T00:00:00-05:30", "data": {"a": 4}}, {"timestamp": "2026-01-01 00:00:01Z", "data": {"a": 5}}, {"timestamp": "2026-01-01T00:00:02\u005A", "data": {"a": 6}}]}""");

    [Theory]
    [MemberData(nameof(UsualBodies))]
    public void TryRead_UsualBody_SameRowsAsTheFullReading(string body)
    {
        var fast = WindowBodyReader.TryRead(Encoding.UTF8.GetBytes(body));

        using var document = JsonDocument.Parse(body);
        var full = InputParser.Parse(document.RootElement.GetProperty("input_data"));
        Assert.NotNull(fast);
        Assert.Equal(Describe(full), Describe(fast));
    }

    public static TheoryData<string> OtherBodies => new(
        "",
        "[]",
        """{"input_data": null}""",
        """{"input_data": 5}""",
        """{"input_data": []}""",
        """{"config": {}, "input_data": {"a": 1}}""",
        """{"input_data": {"a": 1}, "config": null}""",
        """{"input_data": {"a": 1}, "other": 1}""",
        """{"input_data": {"a": 1, "a": 2}}""",
        """{"input_data": {"a": 1, "\u0061": 2}}""",
        """{"input_data": {"a": "1"}}""",
        """{"input_data": {"a": [1]}}""",
        """{"input_data": {"a": 1}} trailing""",
        """{"input_data": {"a": 1},}""",
        """{"input_data": {"a\ud800": 1}}""",
        """{"input_data": [{"timestamp": "yesterday", "data": {"a": 1}}]}""",
        """{"input_data": [{"timestamp": "2026-02-29T00:00:00Z", "data": {"a": 1}}]}""",
        """{"input_data": [{"timestamp": "2026-01-01T24:00:00Z", "data": {"a": 1}}]}""",
        """{"input_data": [{"timestamp": "\ud800", "data": {"a": 1}}]}""",
        """{"input_data": [{"timestamp": "2026-01-01T00:00:00Z"}]}""",
        """{"input_data": [{"timestamp": "2026-01-01T00:00:00Z", "data": {"a": 1}, "note": "x"}]}""",
        """{"input_data": [{"timestamp": "2026-01-01T00:00:00Z", "timestamp": "2026-01-01T00:00:00Z", "data": {}}]}""",
        """{"input_data": [{"timestamp": "2026-01-01T00:00:00Z", "data": {"a": 1}}, 5]}""",
        """{"input_data": {"a": 1} /* comment */}""",
        // Two rows at one time, to the microsecond: the full reading names them.
        """{"input_data": [{"timestamp": "2026-01-01T00:00:00Z", "data": {"a": 1}}, {"timestamp": "2026-01-01T00:00:00Z", "data": {"a": 4}}]}""",
        """{"input_data": [{"timestamp": "2026-01-01T00:00:00.1234567Z", "data": {"a": 1}}, {"timestamp": "2026-01-01T00:00:00.1234568Z", "data": {"a": 4}}]}""",
        """{"input_data": [{"timestamp": "2026-01-01T00:00:00Z", "data": {"a": 1}}, {"timestamp": "2025-12-31T19:00:00.0000009-05:00", "data": {"a": 4}}]}""");

    [Theory]
    [MemberData(nameof(OtherBodies))]
    public void TryRead_AnyOtherBody_IsLeftToTheFullReading(string body) =>
        Assert.Null(WindowBodyReader.TryRead(Encoding.UTF8.GetBytes(body)));

    [Fact]
    public void TryRead_InvalidUtf8InATag_IsLeftToTheFullReading() =>
        Assert.Null(WindowBodyReader.TryRead([.. "{\"input_data\": {\"x"u8, 0xFF, 0xFE, .. "\": 1}}"u8]));

    [Fact]
    public void TryRead_InvalidUtf8InATagSeenBefore_IsLeftToTheFullReading() =>
        Assert.Null(WindowBodyReader.TryRead([.. "{\"input_data\": [{\"timestamp\": \"2026-01-01T00:00:00Z\", \"data\": {\"x\": 1}}, {\"timestamp\": \"2026-01-01T00:00:00Z\", \"data\": {\"x"u8, 0xFF, .. "\": 1}}]}"u8]));

    // Rows, times, and each row's tags in order with their values: what the worker is sent.
    private static string Describe(CycleInput input) => string.Join(" | ", input.Rows.Select(r =>
        $"{r.Timestamp?.ToString("O", System.Globalization.CultureInfo.InvariantCulture) ?? "now"}: {string.Join(", ", r.Values.Select(v => $"{v.Key}={v.Value?.ToString("R", System.Globalization.CultureInfo.InvariantCulture) ?? "null"}"))}"));
}
