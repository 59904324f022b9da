using System.Net;
using System.Text.Json;

namespace ProcessOptimizer.Tests.Hostile;

/// <summary>
/// Ranges at the edges of time: <c>/runs?to=0001-01-01T00:00:00Z</c> reckoned its default start a day before, and a
/// trend ending at 9999-12-31 read its rows a horizon past that; both threw on the date arithmetic and answered a
/// bare 500. They are valid times: the ranges hold no runs and no rows.
/// </summary>
[Collection(HostileCollection.Name)]
public sealed class TimeEdgeTests(HostileHost host)
{
    [Theory]
    [InlineData("/runs?to=0001-01-01T00:00:00Z")]
    [InlineData("/runs?to=0001-01-01T12:00:00Z&strategy=*")]
    [InlineData("/runs?to=0001-01-01T10:00:00%2B10:00")]
    [InlineData("/strategies/process-optimization/runs?to=0001-01-01T00:00:00Z")]
    public async Task Runs_EndInTheFirstDay_IsAnEmptyList(string path)
    {
        using var response = await host.Client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(HttpStatusCode.OK == response.StatusCode, body);
        Assert.Equal("[]", body);
    }

    [Theory]
    [InlineData("to=0001-01-01T12:00:00Z", "0001-01-01T00:00:00+00:00")]
    [InlineData("from=9999-12-31T00:00:00Z&to=9999-12-31T23:59:59Z", "9999-12-31T00:00:00+00:00")]
    [InlineData("from=9999-12-30T00:00:00Z&to=9999-12-31T23:59:59Z&horizon=86400", "9999-12-30T00:00:00+00:00")]
    public async Task Trends_RangeAtTheEdgeOfTime_IsAnEmptyReport(string query, string from)
    {
        using var response = await host.Client.GetAsync("/strategies/process-optimization/trends?" + query);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(HttpStatusCode.OK == response.StatusCode, body);
        var report = JsonDocument.Parse(body).RootElement;
        Assert.Equal(from, report.GetProperty("from").GetString());
        Assert.Equal(0, report.GetProperty("runs_in_range").GetInt32());
    }

    // The refusal named 'from', which the request did not send.
    [Fact]
    public async Task Trends_ToAtTheFirstInstantWithoutFrom_IsRefusedNamingTo()
    {
        using var response = await host.Client.GetAsync("/strategies/process-optimization/trends?to=0001-01-01T00:00:00Z");
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(HttpStatusCode.BadRequest == response.StatusCode, body);
        var errors = JsonDocument.Parse(body).RootElement.GetProperty("errors");
        Assert.Equal(["to"], errors.EnumerateObject().Select(e => e.Name));
        Assert.Contains("when no 'from' is given", errors.GetProperty("to")[0].GetString(), StringComparison.Ordinal);
    }

    // A list of variables that names none answered 200 with no series at all.
    [Fact]
    public async Task Trends_VariablesNamingNone_AreTheDefaultOnes()
    {
        const string Range = "/strategies/process-optimization/trends?from=2026-01-03T00:00:00Z&to=2026-01-04T00:00:00Z";
        using var listed = await host.Client.GetAsync(Range + "&vars=,%20,,");
        using var plain = await host.Client.GetAsync(Range);
        var body = await listed.Content.ReadAsStringAsync();

        Assert.True(HttpStatusCode.OK == listed.StatusCode, body);
        var series = Series(JsonDocument.Parse(body).RootElement);
        Assert.NotEmpty(series);
        Assert.Equal(Series(JsonDocument.Parse(await plain.Content.ReadAsStringAsync()).RootElement), series);
    }

    private static List<string> Series(JsonElement report) =>
        [.. new[] { "measured", "decisions", "predictions" }.SelectMany(kind => report.GetProperty(kind).EnumerateArray().Select(s => $"{kind}:{s.GetProperty("variable").GetString()}"))];
}
