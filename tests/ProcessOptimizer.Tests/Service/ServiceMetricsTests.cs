namespace ProcessOptimizer.Tests.Service;

/// <summary>The real host's metrics, counted while no other host lives in this test process.</summary>
/// <remarks>
/// Metrics listeners follow instruments by meter name across the whole process, so another host running beside this
/// one (a collection that starts hosts runs in parallel with this one's otherwise) adds its requests to the counts and
/// ends instruments of the same names when it stops: beside the backtest API's hosts, a scrape once had no request
/// duration series at all.
/// </remarks>
[Collection(MetricsCollection.Name)]
public sealed class ServiceMetricsTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    private HttpClient Client => service.Client;

    [Fact]
    public async Task Metrics_CountRequestsAndCycles()
    {
        await service.LatestRunAsync();
        var before = Count(await Client.GetStringAsync("/metrics"), "http_server_request_duration_seconds_count");
        await Client.GetAsync("/health");
        await Client.GetAsync("/health");

        // The server records a request's duration as the request ends, which can be just after the client has the response.
        var text = await Client.GetStringAsync("/metrics");
        for (var i = 0; i < 40 && Count(text, "http_server_request_duration_seconds_count") < before + 2; i++)
        {
            await Task.Delay(50);
            text = await Client.GetStringAsync("/metrics");
        }

        Assert.True(Count(text, "http_server_request_duration_seconds_count") >= before + 2, $"before {before}: {string.Join(" | ", text.Split('\n').Where(l => l.StartsWith("http_server_request_duration_seconds_count", StringComparison.Ordinal)))}");
        Assert.Contains("process_optimizer_cycle_outcomes_total{", text);
        Assert.Contains("outcome=\"success\"", text);
    }

    private static double Count(string metrics, string name) => metrics.Split('\n')
        .Where(l => l.StartsWith(name, StringComparison.Ordinal))
        .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
}
