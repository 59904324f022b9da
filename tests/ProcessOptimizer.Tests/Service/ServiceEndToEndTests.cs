using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace ProcessOptimizer.Tests.Service;

/// <summary>The real host against PostgreSQL and s3rver: the loop, every endpoint, and the API-key rule (the metrics: ServiceMetricsTests).</summary>
[Collection(ServiceHostCollection.Name)]
public sealed class ServiceEndToEndTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    private HttpClient Client => service.Client;

    [Fact]
    public async Task ContinuousCycle_StoresARunWithItsVersions()
    {
        var run = await service.LatestRunAsync();

        Assert.Equal("success", run.GetProperty("outcome").GetString());
        Assert.Equal("1.0.0", run.GetProperty("strategy_version").GetString());
        Assert.Equal(service.LastDataRow, run.GetProperty("data_timestamp").GetDateTimeOffset());
        Assert.Equal(3, run.GetProperty("model_versions").EnumerateObject().Count());
        Assert.Equal(30, run.GetProperty("recommendations").GetArrayLength());
        Assert.Equal("Solve_Succeeded", run.GetProperty("solver_status").GetString());
    }

    [Fact]
    public async Task Health_ReportsEachComponent()
    {
        await service.LatestRunAsync();
        var response = await Client.GetAsync("/health");
        var health = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("healthy", health.GetProperty("status").GetString());
        Assert.Contains(service.Bucket, health.GetProperty("store").GetProperty("target").GetString());
        Assert.Equal("1.0.0", health.GetProperty("strategy").GetProperty("deployed_version").GetString());
        Assert.Equal("success", health.GetProperty("last_cycle").GetProperty("outcome").GetString());
        Assert.True(health.GetProperty("cycle_outcomes").GetProperty("success").GetInt64() >= 1);
    }

    [Theory]
    [InlineData("/optimize")]
    [InlineData("/process/optimize")]
    public async Task Optimize_HistoryWindow_ReturnsSeedShapedSuccess(string path)
    {
        var response = await Client.PostAsJsonAsync(path, new { input_data = HistoryWindow() });
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("success", result.GetProperty("status").GetString());
        Assert.Equal(-1, result.GetProperty("cost_function_value").GetDouble(), 6);
        Assert.Equal("1.0.0", result.GetProperty("strategy_version").GetString());
        Assert.InRange(result.GetProperty("predicted_variables").GetProperty("predicted_Burning_zone_temperature").GetProperty("optimizer_suggested_value").GetDouble(), 1380, 1480);
        var stored = await Client.GetFromJsonAsync<JsonElement>($"/runs/{result.GetProperty("run_id").GetInt64()}");
        Assert.Equal("process-optimization/api", stored.GetProperty("strategy_name").GetString());
        Assert.Equal(30, stored.GetProperty("recommendations").GetArrayLength());
    }

    [Fact]
    public async Task Optimize_ManyAtOnce_EachAnswerNamesItsOwnStoredRun()
    {
        // Issue 15: answers that arrive together share a commit; each still names a run of its own, stored whole
        // before the answer.
        // Four clients, three requests each: no more wait at once than Api:MaxQueuedRequests lets in.
        var window = HistoryWindow();
        var answers = (await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            var mine = new List<JsonElement>();
            for (var i = 0; i < 3; i++)
            {
                var response = await Client.PostAsJsonAsync("/optimize", new { input_data = window });
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                mine.Add(await response.Content.ReadFromJsonAsync<JsonElement>());
            }

            return mine;
        }))).SelectMany(a => a).ToList();

        var ids = answers.Select(a => a.GetProperty("run_id").GetInt64()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(answers, a => Assert.False(a.GetProperty("run_pending").GetBoolean()));
        foreach (var id in ids)
        {
            var stored = await Client.GetFromJsonAsync<JsonElement>($"/runs/{id}");
            Assert.Equal(id, stored.GetProperty("id").GetInt64());
            Assert.Equal(30, stored.GetProperty("recommendations").GetArrayLength());
        }
    }

    private static List<Dictionary<string, object>> HistoryWindow()
    {
        var rows = File.ReadAllLines(Path.Combine(TestServers.Kiln, "window-latest.csv"));
        var header = rows[0].Split(',');
        return [.. rows.Skip(1).Select(line =>
        {
            var cells = line.Split(',');
            return new Dictionary<string, object>
            {
                ["timestamp"] = cells[0],
                ["data"] = header.Skip(1).Zip(cells.Skip(1)).ToDictionary(p => p.First, p => (object)double.Parse(p.Second, System.Globalization.CultureInfo.InvariantCulture)),
            };
        })];
    }

    [Fact]
    public async Task Optimize_MalformedJson_IsAProblemNamingTheBody()
    {
        var response = await Client.PostAsync("/optimize", new StringContent("{\"input_data\": {", Encoding.UTF8, "application/json"));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("malformed JSON", problem.GetProperty("errors").GetProperty("body")[0].GetString());
    }

    [Fact]
    public async Task Optimize_MissingInputData_IsAProblemNamingTheField()
    {
        var response = await Client.PostAsJsonAsync("/optimize", new { config = (object?)null });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("is required", problem.GetProperty("errors").GetProperty("input_data")[0].GetString());
    }

    [Fact]
    public async Task Optimize_UnknownVariables_AreEachListed()
    {
        var response = await Client.PostAsJsonAsync("/optimize", new { input_data = new Dictionary<string, double> { ["Kiln_Coal_PV"] = 12, ["Bogus_A"] = 1, ["Bogus_B"] = 2 } });
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["input_data.Bogus_A", "input_data.Bogus_B"], errors.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Optimize_InvalidInlineStrategy_ListsEveryProblem()
    {
        var config = new Dictionary<string, object>
        {
            ["variables"] = new Dictionary<string, object> { ["x"] = new { type = "Operative", min_hard_limit = 5, max_hard_limit = 1 } },
            ["skills"] = new Dictionary<string, object> { ["s"] = new { @class = "MathFunctoin", inputs = new[] { "x" }, outputs = new[] { "x" } } },
        };
        var response = await Client.PostAsJsonAsync("/optimize", new { input_data = new { x = 1.0 }, config });
        var problems = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("config").EnumerateArray().Select(e => e.GetString()!).ToList();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(problems, p => p.Contains("min_hard_limit 5 is greater than max_hard_limit 1", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("unknown skill class 'MathFunctoin'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(-1, "success")]
    [InlineData(2, "infeasible")]
    public async Task Optimize_ConstraintOnNoDecision_MetDoesNotRestrictMissedIsInfeasibleNamingIt(double opMin, string expected)
    {
        // g = 10⁶·(x − x) is 0 whatever x is: it used to fail the request with "IPOPT refused the problem definition".
        var config = new Dictionary<string, object>
        {
            ["variables"] = new Dictionary<string, object>
            {
                ["x"] = new { type = "Operative", threshold = 2, max_hard_limit = 10 },
                ["cost"] = new { type = "CalculatedKPI" },
                ["g"] = new { type = "Constraint" },
            },
            ["skills"] = new Dictionary<string, object>
            {
                ["f"] = new { @class = "MathFunction", inputs = new[] { "x" }, outputs = new[] { "cost" }, config = new { formula = "(x - 3) ** 2" } },
                ["c"] = new { @class = "MathFunction", inputs = new[] { "x" }, outputs = new[] { "g" }, config = new { formula = "1000000 * (x - x)" } },
                ["both"] = new { @class = "CompositionSkill", config = new { skill_sequence = new[] { "f", "c" } } },
                ["b"] = new { @class = "Bounds", inputs = new[] { "x" } },
                ["limits"] = new { @class = "Constraints", config = new { template = new[] { new { predicted_var = "g", op_min = opMin, op_max = 5 } } } },
                ["opt"] = new { @class = "OptimizationSkill", inputs = new[] { "x" }, config = new { cost_skill_name = "both", cost_feature_name = "cost" } },
            },
            ["tasks"] = new[] { new { name = "CalculateRecommendations", skill_sequence = new[] { "b", "limits", "opt" } } },
        };
        var response = await Client.PostAsJsonAsync("/optimize", new { input_data = new { x = 6.0 }, config });
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.True(HttpStatusCode.OK == response.StatusCode, result.GetRawText());
        Assert.Equal(expected, result.GetProperty("status").GetString());
        var x = result.GetProperty("optimized_variables").GetProperty("x").GetProperty("optimizer_suggested_value").GetDouble();
        var warnings = result.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).ToList();
        if (expected == "success")
        {
            Assert.Equal(4, x, 6);
            Assert.Contains(warnings, w => w.Contains("'g' = 0 does not depend on any decision variable", StringComparison.Ordinal));
            return;
        }

        Assert.Equal(6, x);
        var violated = result.GetProperty("most_violated_constraint");
        Assert.Equal("g", violated.GetProperty("variable").GetString());
        Assert.Equal(0, violated.GetProperty("value").GetDouble());
        Assert.Equal(2, violated.GetProperty("violation").GetDouble());
    }

    [Fact]
    public async Task AdminEndpoints_NeedTheApiKey()
    {
        var refused = await Client.PostAsync("/cache/clear", null);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/cache/clear");
        request.Headers.Add("X-Api-Key", ServiceFixture.ApiKey);
        var accepted = await Client.SendAsync(request);
        using var wrong = new HttpRequestMessage(HttpMethod.Put, "/strategy/version") { Content = JsonContent.Create(new { version = "1.0.0" }) };
        wrong.Headers.Add("X-Api-Key", "not-the-key");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client.SendAsync(wrong)).StatusCode);
    }

    [Fact]
    public async Task StrategyAndCacheAndRuns_Answer()
    {
        await service.LatestRunAsync();
        var strategy = await Client.GetFromJsonAsync<JsonElement>("/strategy");
        var stats = await Client.GetFromJsonAsync<JsonElement>("/cache/stats");
        var seedStats = await Client.GetAsync("/process/cache/stats");
        var runs = await Client.GetFromJsonAsync<JsonElement>($"/runs?from={Uri.EscapeDataString(service.LastDataRow.AddHours(-1).ToString("O"))}&to={Uri.EscapeDataString(service.LastDataRow.AddHours(1).ToString("O"))}&limit=5");
        var badRange = await Client.GetAsync("/runs?limit=0");

        Assert.Equal("1.0.0", strategy.GetProperty("version").GetString());
        Assert.Contains("1.0.0", strategy.GetProperty("available_versions").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("1.0.0", stats.GetProperty("current_version").GetString());
        Assert.Equal(service.LastDataRow, stats.GetProperty("last_run_timestamp").GetDateTimeOffset());
        Assert.Contains(stats.GetProperty("entries").EnumerateArray(), e => e.GetProperty("type").GetString() == "model" && e.GetProperty("bytes").GetInt64() > 1000);
        Assert.Equal(HttpStatusCode.OK, seedStats.StatusCode);
        Assert.True(runs.GetArrayLength() >= 1);
        Assert.Equal(HttpStatusCode.BadRequest, badRange.StatusCode);
    }

    [Fact]
    public async Task OpenApi_DescribesTheEndpoints()
    {
        var document = await Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();

        Assert.Contains("/optimize", paths);
        Assert.Contains("/runs/latest", paths);
        Assert.Contains("/strategy/version", paths);
    }
}
