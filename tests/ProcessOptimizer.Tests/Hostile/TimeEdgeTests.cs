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
}
