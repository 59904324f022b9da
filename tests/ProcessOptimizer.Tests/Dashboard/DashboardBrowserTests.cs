using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;
using ProcessOptimizer.Tests.Service;

namespace ProcessOptimizer.Tests.Dashboard;

/// <summary>The dashboard in Debian's Chromium against the real host, its data and its stored runs (issue 17).</summary>
[Collection(ServiceHostCollection.Name)]
public sealed class DashboardBrowserTests(DashboardFixture dashboard, ITestOutputHelper output) : IClassFixture<DashboardFixture>
{
    private static readonly LocatorWaitForOptions Visible = new() { Timeout = 15_000 };

    private HttpClient Client => dashboard.Service.Client;

    [Fact]
    public async Task Overview_ShowsTheValuesOfTheLatestRun()
    {
        var latest = await Client.GetFromJsonAsync<JsonElement>("/runs/latest");
        var page = await dashboard.OpenAsync("#/overview");
        var card = page.Locator("[data-strategy='process-optimization']");
        await card.Locator("[data-field='last-run']").WaitForAsync(Visible);

        Assert.Equal(latest.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture), await Field(card, "last-run"));
        Assert.Equal(latest.GetProperty("outcome").GetString(), await Field(card, "last-outcome"));
        Assert.Equal(latest.GetProperty("strategy_version").GetString(), await Field(card, "version"));
        Assert.Equal(latest.GetProperty("data_timestamp").GetDateTimeOffset(), DateTimeOffset.Parse(await Field(card, "data-time"), CultureInfo.InvariantCulture));
        Assert.Contains(latest.GetProperty("outcome").GetString()!, await card.Locator("[data-field='last-outcome']").InnerTextAsync());
        // The service factor counts every loop run of the last day, as /runs lists them.
        var day = await RunsSinceAsync(TimeSpan.FromDays(1));
        Assert.True(day.Count >= 4);
        Assert.Contains($"({day.Count(r => r.GetProperty("outcome").GetString() == "success")} of {day.Count})", await card.Locator("[data-field='sf-24h']").InnerTextAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Recommendation_RowsMatchTheRunsValues()
    {
        var latest = await Client.GetFromJsonAsync<JsonElement>("/runs/latest");
        var values = latest.GetProperty("recommendations").EnumerateArray().ToDictionary(r => r.GetProperty("variable").GetString()!);
        var page = await dashboard.OpenAsync("#/recommendation");
        var rows = page.Locator("table.decisions tbody tr");
        await rows.First.WaitForAsync(Visible);

        var names = new List<string>();
        for (var i = 0; i < await rows.CountAsync(); i++)
        {
            var row = rows.Nth(i);
            var name = (await row.GetAttributeAsync("data-variable"))!;
            names.Add(name);
            Assert.Equal(values[name].GetProperty("current").GetDouble(), Number(await Field(row, "current")));
            Assert.Equal(values[name].GetProperty("recommended").GetDouble(), Number(await Field(row, "recommended")));
            Assert.Equal(values[name].GetProperty("delta").GetDouble(), Number(await Field(row, "move")));
        }

        Assert.Equal(["Kiln_Coal_PV", "PH_Fan_Speed_PV", "Secondary_Air_Temperature", "combined_Feed_rate"], names.Order(StringComparer.Ordinal));
        var constraint = page.Locator("table.constraints tr[data-variable='predicted_Burning_zone_temperature']");
        Assert.Equal(values["predicted_Burning_zone_temperature"].GetProperty("recommended").GetDouble(), Number(await Field(constraint, "predicted")));
        Assert.Equal(latest.GetProperty("id").GetInt64(), long.Parse(await Field(page.Locator(".explanation"), "run-id"), CultureInfo.InvariantCulture));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Trends_WeekOfMinutes_DecisionChartHasDrawnItsSeries()
    {
        var page = await dashboard.OpenAsync("#/trends?hours=168");
        var figure = page.Locator("figure.chart[data-chart^='Kiln_Coal_PV']");
        await figure.Locator("canvas").WaitForAsync(Visible);
        await page.Locator(".trends[data-draw-ms]").WaitForAsync(Visible);

        // Pixels in each series' own colour: the measured line (#1f5fa8) and the recommendations (#d2691e).
        var counts = await figure.Locator("canvas").EvaluateAsync<int[]>("""
            canvas => {
              const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
              const count = (r, g, b) => { let n = 0; for (let i = 0; i < data.length; i += 4) if (data[i] === r && data[i + 1] === g && data[i + 2] === b && data[i + 3] === 255) n++; return n; };
              return [count(0x1f, 0x5f, 0xa8), count(0xd2, 0x69, 0x1e)];
            }
            """);

        Assert.True(counts[0] > 200, $"the measured line has {counts[0]} pixels");
        Assert.True(counts[1] > 0, $"the recommendations have {counts[1]} pixels");
        // A week of 1-minute rows (10,080) is reduced on the server to at most 2,000 points a series, plus the runs.
        Assert.InRange(int.Parse((await figure.GetAttributeAsync("data-points"))!, CultureInfo.InvariantCulture), 200, 2100);
        Assert.Equal((await RunsSinceAsync(TimeSpan.FromDays(7))).Count, await page.Locator(".strip a.tick").CountAsync());
        // For the record, not asserted: timings belong to BENCHMARKS.md.
        output.WriteLine(await page.Locator(".trends .status").InnerTextAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task StrategyPage_SwitchWithoutTheKeyIsRefusedAndWithItWorks()
    {
        var page = await dashboard.OpenAsync("#/strategy");
        try
        {
            await page.Locator("#switch-version").WaitForAsync(Visible);
            Assert.Equal("2", await page.Locator(".diff").GetAttributeAsync("data-changes"));
            await page.Locator("#switch-version").SelectOptionAsync("1.0.1");
            await page.GetByRole(AriaRole.Button, new() { Name = "Make live" }).ClickAsync();
            var refused = page.Locator("#switch-result [data-outcome='refused']");
            await refused.WaitForAsync(Visible);

            Assert.Equal("401", await refused.GetAttributeAsync("data-status"));
            Assert.Equal("1.0.0", await LiveVersionAsync());

            await page.GetByLabel("API key").FillAsync(ServiceFixture.ApiKey);
            await page.GetByRole(AriaRole.Button, new() { Name = "Make live" }).ClickAsync();
            await page.Locator("#switch-result [data-outcome='switched']").WaitForAsync(Visible);

            Assert.Equal("1.0.1", await LiveVersionAsync());
            await page.Locator("[data-field='live-version'][data-value='1.0.1']").WaitForAsync(Visible);
        }
        finally
        {
            using var back = new HttpRequestMessage(HttpMethod.Put, "/strategy/version") { Content = new StringContent("{\"version\": \"1.0.0\"}", Encoding.UTF8, "application/json") };
            back.Headers.Add("X-Api-Key", ServiceFixture.ApiKey);
            Assert.Equal(HttpStatusCode.OK, (await Client.SendAsync(back)).StatusCode);
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Overview_NewCycle_ShowsItWithoutAReload()
    {
        var page = await dashboard.OpenAsync("#/overview");
        var lastRun = page.Locator("[data-strategy='process-optimization'] [data-field='last-run']");
        await lastRun.WaitForAsync(Visible);
        var before = await lastRun.GetAttributeAsync("data-value");
        // A reload would lose this mark.
        await page.EvaluateAsync("() => { window.loadedOnce = true; }");

        var run = await dashboard.NextCycleAsync();
        var id = run.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture);
        await page.Locator($"[data-strategy='process-optimization'] [data-field='last-run'][data-value='{id}']").WaitForAsync(Visible);

        Assert.NotEqual(before, id);
        Assert.True(await page.EvaluateAsync<bool>("() => window.loadedOnce === true"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task BacktestPage_StartedWithTheKey_ShowsTheComparisonOfItsSummary()
    {
        var page = await dashboard.OpenAsync("#/backtests");
        await page.Locator("#backtest-form").WaitForAsync(Visible);
        // The last six hours of the service's clock, written as the browser's local time.
        var to = dashboard.Service.Clock.GetUtcNow();
        var local = "iso => { const d = new Date(iso); return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16); }";
        await page.GetByLabel("From").FillAsync(await page.EvaluateAsync<string>(local, to.AddHours(-6).ToString("O", CultureInfo.InvariantCulture)));
        await page.GetByLabel("To", new() { Exact = true }).FillAsync(await page.EvaluateAsync<string>(local, to.ToString("O", CultureInfo.InvariantCulture)));
        await page.GetByLabel("Step").FillAsync("30m");
        await page.GetByLabel("API key").FillAsync(ServiceFixture.ApiKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Start backtest" }).ClickAsync();
        await page.Locator("#backtest-status [data-status='completed']").WaitForAsync(new LocatorWaitForOptions { Timeout = 90_000 });
        var id = page.Url[(page.Url.LastIndexOf("id=", StringComparison.Ordinal) + 3)..];

        var summary = (await Client.GetFromJsonAsync<JsonElement>($"/backtests/{id}")).GetProperty("summary").GetProperty("versions").GetProperty("1.0.0");
        var row = page.Locator("table.comparison tr[data-version='1.0.0'] td");
        Assert.Equal(12, summary.GetProperty("steps").GetInt32());
        Assert.Equal("12", (await row.Nth(1).InnerTextAsync()).Trim());
        Assert.Equal(summary.GetProperty("outcomes").GetProperty("success").GetInt32().ToString(CultureInfo.InvariantCulture), (await row.Nth(2).InnerTextAsync()).Trim());
        await page.Context.CloseAsync();
    }

    /// <summary>
    /// Screenshots of the overview and the trends page, taken in every run; <c>scripts/screenshots.sh</c> points
    /// PROCESS_OPTIMIZER_SCREENSHOTS at the repository's docs folder to refresh the README's pictures.
    /// </summary>
    [Theory]
    [InlineData("#/overview", "dashboard-overview.png", ".card [data-field='last-run']")]
    [InlineData("#/trends?hours=6", "dashboard-trends.png", ".trends[data-draw-ms]")]
    public async Task Screenshot_PageWithData_IsWritten(string hash, string file, string ready)
    {
        var folder = Environment.GetEnvironmentVariable("PROCESS_OPTIMIZER_SCREENSHOTS") is { Length: > 0 } asked ? asked : Path.Combine(AppContext.BaseDirectory, "screenshots");
        var page = await dashboard.OpenAsync(hash);
        await page.Locator(ready).WaitForAsync(Visible);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, file);

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = hash.Contains("trends", StringComparison.Ordinal) });

        // A page of text and charts; a blank or failed page compresses to a few kilobytes.
        Assert.True(new FileInfo(path).Length > 30_000, $"{file} is {new FileInfo(path).Length} bytes");
        await page.Context.CloseAsync();
    }

    private async Task<List<JsonElement>> RunsSinceAsync(TimeSpan span)
    {
        var now = dashboard.Service.Clock.GetUtcNow();
        var from = Uri.EscapeDataString((now - span).ToString("O", CultureInfo.InvariantCulture));
        return [.. (await Client.GetFromJsonAsync<JsonElement>($"/runs?from={from}&limit=1000")).EnumerateArray()];
    }

    private async Task<string?> LiveVersionAsync() =>
        (await Client.GetFromJsonAsync<JsonElement>("/strategy")).GetProperty("version").GetString();

    private static async Task<string> Field(ILocator scope, string name) =>
        (await scope.Locator($"[data-field='{name}']").First.GetAttributeAsync("data-value"))!;

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);
}
