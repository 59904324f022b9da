using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ProcessOptimizer.Core.Yaml;
using ProcessOptimizer.Storage.ObjectStores;

namespace ProcessOptimizer.Tests.Service;

/// <summary>
/// Issue 20: the original service's clients work unchanged. Each test replays a request of the original against the
/// real host, at the plain path and at /process/..., and checks every field the original answered by name, JSON
/// type and meaning; our richer fields must still be there beside them.
/// </summary>
[Collection(ServiceHostCollection.Name)]
public sealed class SeedCompatibilityTests(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    private const string StrategyFile = "process-optimization-strategy-config-1.0.0.yaml";

    // The original counted a variable as changed when its delta exceeded this.
    private const double SeedChangeTolerance = 1e-6;

    private static readonly string[] Categories = ["optimizable", "predicted", "constraint", "operative", "informative", "calculated"];
    private static readonly string[] Types = ["Operative", "Informative", "Calculated", "Delta", "Predicted", "CalculatedKPI", "Constraint"];

    private HttpClient Client => service.Client;

    /// <summary>The kiln strategy as a client of the original sends it in <c>config</c>.</summary>
    private static JsonObject KilnStrategy() =>
        YamlAsJson.Convert(YamlReader.Read(File.ReadAllText(Path.Combine(TestServers.Kiln, "store", "configs", StrategyFile))))!.AsObject();

    [Theory]
    [InlineData("/health")]
    [InlineData("/process/health")]
    public async Task Health_AnswersTheSeedFields(string path)
    {
        await service.LatestRunAsync();

        var (status, body) = await SendAsync(HttpMethod.Get, path);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("healthy", Field(body, "status", JsonValueKind.String).GetString());
        AssertTimestampIsNow(body);
        Assert.Equal("1.0.0", body.GetProperty("strategy").GetProperty("deployed_version").GetString());
        Field(body, "store", JsonValueKind.Object);
        Field(body, "database", JsonValueKind.Object);
    }

    [Theory]
    [InlineData("/optimize")]
    [InlineData("/process/optimize")]
    public async Task Optimize_DeployedStrategy_AnswersTheSeedFields(string path)
    {
        var row = LastRow();

        var (status, body) = await SendAsync(HttpMethod.Post, path, new JsonObject { ["input_data"] = row });

        Assert.Equal(HttpStatusCode.OK, status);
        AssertSeedOptimizeAnswer(body, row);
        Assert.Equal("1.0.0", Field(body, "strategy_version", JsonValueKind.String).GetString());
        Field(body, "solver", JsonValueKind.Array);
        Field(body, "run_id", JsonValueKind.Number);
    }

    [Theory]
    [InlineData("/optimize")]
    [InlineData("/process/optimize")]
    public async Task Optimize_InlineConfig_AnswersTheSeedFieldsAsTheSameDeployedStrategyDoes(string path)
    {
        var row = LastRow();
        var config = KilnStrategy();

        var (inlineStatus, inline) = await SendAsync(HttpMethod.Post, path, new JsonObject { ["input_data"] = row.DeepClone(), ["config"] = config });
        var (_, deployed) = await SendAsync(HttpMethod.Post, path, new JsonObject { ["input_data"] = row.DeepClone() });

        Assert.Equal(HttpStatusCode.OK, inlineStatus);
        AssertSeedOptimizeAnswer(inline, row);
        Assert.Equal("inline", inline.GetProperty("strategy_version").GetString());
        var expected = deployed.GetProperty("variables").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetProperty("optimizer_suggested_value").GetDouble());
        var actual = inline.GetProperty("variables").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetProperty("optimizer_suggested_value").GetDouble());
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        Assert.All(expected, p => Assert.Equal(p.Value, actual[p.Key], 6));
    }

    [Theory]
    [InlineData("/cache/stats")]
    [InlineData("/process/cache/stats")]
    public async Task CacheStats_AnswersTheSeedFields(string path)
    {
        await service.LatestRunAsync();
        await SendAsync(HttpMethod.Post, "/cache/clear", admin: true);
        // One answer loads the deployed strategy's text and its one model again, and nothing else.
        await SendAsync(HttpMethod.Post, "/optimize", new JsonObject { ["input_data"] = LastRow() });

        var (status, body) = await SendAsync(HttpMethod.Get, path);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("success", Field(body, "status", JsonValueKind.String).GetString());
        AssertTimestampIsNow(body);
        Assert.Equal("1.0.0", Field(body, "current_config_version", JsonValueKind.String).GetString());
        Assert.Equal(service.LastDataRow, Iso8601(Field(body, "cached_last_run_timestamp", JsonValueKind.String)));
        var details = CacheDetails(body);
        Assert.Equal(1, details["configs"].Active);
        Assert.Equal(1, details["models"].Active);
        Assert.Equal("1.0.0", Field(body, "current_version", JsonValueKind.String).GetString());
        Assert.Equal(service.LastDataRow, Field(body, "last_run_timestamp", JsonValueKind.String).GetDateTimeOffset());
        Assert.Contains(Field(body, "entries", JsonValueKind.Array).EnumerateArray(), e => e.GetProperty("type").GetString() == "model");
    }

    [Theory]
    [InlineData("/cache/clear")]
    [InlineData("/process/cache/clear")]
    public async Task CacheClear_AnswersTheSeedFieldsAndEmptiesTheCache(string path)
    {
        await SendAsync(HttpMethod.Post, "/optimize", new JsonObject { ["input_data"] = LastRow() });
        var held = CacheDetails((await SendAsync(HttpMethod.Get, "/cache/stats")).Body).Values.Sum(c => c.Active);

        var (status, body) = await SendAsync(HttpMethod.Post, path, admin: true);
        var after = CacheDetails((await SendAsync(HttpMethod.Get, "/cache/stats")).Body);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("success", Field(body, "status", JsonValueKind.String).GetString());
        AssertTimestampIsNow(body);
        Assert.False(string.IsNullOrWhiteSpace(Field(body, "message", JsonValueKind.String).GetString()));
        Assert.True(held >= 2, $"the strategy text and the model were cached, but only {held} entries were");
        Assert.Equal(held, Field(body, "cleared", JsonValueKind.Number).GetInt32());
        Assert.All(after.Values, c => Assert.Equal(0, c.Active));
    }

    [Theory]
    [InlineData("/strategy-version-update")]
    [InlineData("/process/strategy-version-update")]
    public async Task VersionUpdate_AnswersTheSeedFieldsAndMakesTheVersionLive(string path)
    {
        using (var store = new S3ObjectStore(service.S3Settings()))
        {
            await using var content = File.OpenRead(Path.Combine(TestServers.Kiln, "store", "configs", StrategyFile));
            await store.PutAsync("configs/process-optimization-strategy-config-1.0.1.yaml", content, CancellationToken.None);
        }

        try
        {
            var (status, body) = await SendAsync(HttpMethod.Put, path, new JsonObject { ["version"] = "1.0.1" }, admin: true);
            var (_, health) = await SendAsync(HttpMethod.Get, "/health");
            var (_, stats) = await SendAsync(HttpMethod.Get, "/cache/stats");

            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("success", Field(body, "status", JsonValueKind.String).GetString());
            AssertTimestampIsNow(body);
            Assert.Contains("1.0.1", Field(body, "message", JsonValueKind.String).GetString(), StringComparison.Ordinal);
            Assert.Equal("1.0.1", Field(body, "version", JsonValueKind.String).GetString());
            Field(body, "summary", JsonValueKind.String);
            Assert.Equal("1.0.1", health.GetProperty("strategy").GetProperty("deployed_version").GetString());
            Assert.Equal("1.0.1", stats.GetProperty("current_config_version").GetString());
        }
        finally
        {
            var (restored, _) = await SendAsync(HttpMethod.Put, "/strategy/version", new JsonObject { ["version"] = "1.0.0" }, admin: true);
            Assert.Equal(HttpStatusCode.OK, restored);
        }
    }

    [Theory]
    [InlineData("/strategy-version-update")]
    [InlineData("/process/strategy-version-update")]
    public async Task VersionUpdate_WithoutVersion_IsA400WithTheSeedErrorFields(string path)
    {
        var (status, body) = await SendAsync(HttpMethod.Put, path, new JsonObject(), admin: true);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertSeedErrorFields(body, 400);
        Assert.Contains("version", body.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/process/no-such-endpoint", null, null, 404)]
    [InlineData("POST", "/optimize", "{\"config\": null}", null, 400)]
    [InlineData("POST", "/process/optimize", "{\"input_data\": {", null, 400)]
    [InlineData("POST", "/process/cache/clear", null, "not-the-key", 401)]
    [InlineData("PUT", "/strategy-version-update", "{\"version\": \"9.9.9\"}", ServiceFixture.ApiKey, 422)]
    public async Task Errors_AreProblemDetailsWithTheSeedErrorAndTimestamp(string method, string path, string? json, string? key, int expected)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        var response = await Client.SendAsync(request);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(expected, (int)response.StatusCode);
        AssertSeedErrorFields(body, expected);
    }

    [Theory]
    [InlineData("/health", "get", "status,timestamp")]
    [InlineData("/process/health", "get", "status,timestamp")]
    [InlineData("/optimize", "post", "status,timestamp,variables,optimized_variables,predicted_variables,constraint_variables,cost_function_value,summary")]
    [InlineData("/process/optimize", "post", "status,timestamp,variables,optimized_variables,predicted_variables,constraint_variables,cost_function_value,summary")]
    [InlineData("/cache/stats", "get", "status,timestamp,current_config_version,cached_last_run_timestamp,cache_details")]
    [InlineData("/process/cache/stats", "get", "status,timestamp,current_config_version,cached_last_run_timestamp,cache_details")]
    [InlineData("/cache/clear", "post", "status,timestamp,message")]
    [InlineData("/process/cache/clear", "post", "status,timestamp,message")]
    [InlineData("/strategy-version-update", "put", "status,timestamp,message")]
    [InlineData("/process/strategy-version-update", "put", "status,timestamp,message")]
    public async Task OpenApi_DescribesTheSeedFields(string path, string method, string fields)
    {
        var document = JsonDocument.Parse(await Client.GetStringAsync("/openapi/v1.json")).RootElement;
        var schema = Resolve(document, document.GetProperty("paths").GetProperty(path).GetProperty(method)
            .GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema"));

        Assert.Equal(fields.Split(','), fields.Split(',').Where(f => schema.GetProperty("properties").TryGetProperty(f, out _)));
    }

    [Fact]
    public async Task OpenApi_DescribesTheSeedNestedFieldsAndErrorFields()
    {
        var document = JsonDocument.Parse(await Client.GetStringAsync("/openapi/v1.json")).RootElement;
        JsonElement Response(string path, string method, string code) => Resolve(document, document.GetProperty("paths").GetProperty(path).GetProperty(method)
            .GetProperty("responses").GetProperty(code).GetProperty("content").EnumerateObject().First().Value.GetProperty("schema"));
        JsonElement Property(JsonElement schema, string name) => Resolve(document, schema.GetProperty("properties").GetProperty(name));
        static void AssertDescribes(JsonElement schema, params string[] fields) => Assert.Superset(fields.ToHashSet(), schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet());

        var optimize = Response("/optimize", "post", "200");
        var stats = Response("/cache/stats", "get", "200");
        var variable = Resolve(document, Property(optimize, "variables").GetProperty("additionalProperties"));
        var counts = Resolve(document, Property(stats, "cache_details").GetProperty("additionalProperties"));

        AssertDescribes(variable, "category", "user_input_value", "optimizer_suggested_value", "delta", "units", "type");
        AssertDescribes(Property(optimize, "summary"), "total_variables", "total_variables_with_optimizer_changes", "total_optimizable_variables_changed", "total_predicted_variables", "total_constraints", "optimization_impact");
        AssertDescribes(counts, "active_items", "expired_items", "total_items");
        foreach (var (path, method) in new[] { ("/optimize", "post"), ("/strategy-version-update", "put") })
        {
            AssertDescribes(Response(path, method, "400"), "status", "error", "timestamp");
        }
    }

    private void AssertSeedOptimizeAnswer(JsonElement body, JsonObject row)
    {
        Assert.Equal("success", Field(body, "status", JsonValueKind.String).GetString());
        AssertTimestampIsNow(body);
        var variables = Field(body, "variables", JsonValueKind.Object).EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
        foreach (var (name, entry) in variables)
        {
            Assert.Contains(Field(entry, "category", JsonValueKind.String).GetString(), Categories);
            Assert.Contains(Field(entry, "type", JsonValueKind.String).GetString(), Types);
            Field(entry, "units", JsonValueKind.String);
            var input = Field(entry, "user_input_value", JsonValueKind.Number).GetDouble();
            var suggested = Field(entry, "optimizer_suggested_value", JsonValueKind.Number).GetDouble();
            Assert.Equal(suggested - input, Field(entry, "delta", JsonValueKind.Number).GetDouble(), 9);
            if (entry.GetProperty("type").GetString() is "Operative" or "Informative" && row[name] is { } given)
            {
                Assert.Equal(given.GetValue<double>(), input);
            }
        }

        foreach (var (subset, category) in new[] { ("optimized_variables", "optimizable"), ("predicted_variables", "predicted"), ("constraint_variables", "constraint") })
        {
            var members = Field(body, subset, JsonValueKind.Object).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetRawText());
            var expected = variables.Where(v => v.Value.GetProperty("category").GetString() == category).ToDictionary(v => v.Key, v => v.Value.GetRawText());
            Assert.Equal(expected, members);
        }

        // The original's rule: Calculated variables, and Operative ones that no PreCalculateVariables skill reads.
        var strategy = KilnStrategy();
        var preCalculationInputs = strategy["tasks"]!.AsArray().Where(t => (string?)t!["name"] == "PreCalculateVariables")
            .SelectMany(t => t!["skill_sequence"]!.AsArray()).SelectMany(skill => strategy["skills"]![(string)skill!]!["inputs"]!.AsArray()).Select(i => (string)i!).ToHashSet();
        var optimizable = strategy["variables"]!.AsObject()
            .Where(v => (string?)v.Value!["type"] == "Calculated" || ((string?)v.Value!["type"] == "Operative" && !preCalculationInputs.Contains(v.Key)))
            .Select(v => v.Key).Order(StringComparer.Ordinal);
        var optimized = body.GetProperty("optimized_variables").EnumerateObject().ToList();
        Assert.Equal(optimizable, optimized.Select(v => v.Name).Order(StringComparer.Ordinal));
        Assert.True(body.GetProperty("predicted_variables").TryGetProperty("predicted_Burning_zone_temperature", out _));
        // The cost is the strategy's cost feature, reported like any variable: at the current point and at the recommendation.
        var cost = variables[Field(body, "cost_feature", JsonValueKind.String).GetString()!];
        Assert.Equal(cost.GetProperty("optimizer_suggested_value").GetDouble(), Field(body, "cost_function_value", JsonValueKind.Number).GetDouble());

        var summary = Field(body, "summary", JsonValueKind.Object);
        bool Changed(JsonElement v) => Math.Abs(v.GetProperty("delta").GetDouble()) > SeedChangeTolerance;
        Assert.Equal(variables.Count, Field(summary, "total_variables", JsonValueKind.Number).GetInt32());
        Assert.Equal(variables.Values.Count(Changed), Field(summary, "total_variables_with_optimizer_changes", JsonValueKind.Number).GetInt32());
        Assert.Equal(optimized.Count(v => Changed(v.Value)), Field(summary, "total_optimizable_variables_changed", JsonValueKind.Number).GetInt32());
        Assert.Equal(body.GetProperty("predicted_variables").EnumerateObject().Count(), Field(summary, "total_predicted_variables", JsonValueKind.Number).GetInt32());
        Assert.Equal(body.GetProperty("constraint_variables").EnumerateObject().Count(), Field(summary, "total_constraints", JsonValueKind.Number).GetInt32());
        // Ours is the cost saved by the recommendation (README table): the cost at the current point minus the cost at the recommendation.
        Assert.Equal(-cost.GetProperty("delta").GetDouble(), Field(summary, "optimization_impact", JsonValueKind.Number).GetDouble(), 9);
    }

    private void AssertSeedErrorFields(JsonElement body, int status)
    {
        Assert.Equal(status, Field(body, "status", JsonValueKind.Number).GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(Field(body, "error", JsonValueKind.String).GetString()));
        Field(body, "title", JsonValueKind.String);
        AssertTimestampIsNow(body);
    }

    private void AssertTimestampIsNow(JsonElement body) =>
        Assert.Equal(service.Clock.GetUtcNow(), Iso8601(Field(body, "timestamp", JsonValueKind.String)));

    private static DateTimeOffset Iso8601(JsonElement value)
    {
        var text = value.GetString()!;
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$", text);
        return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
    }

    private static JsonElement Field(JsonElement parent, string name, JsonValueKind kind)
    {
        Assert.True(parent.TryGetProperty(name, out var value), $"'{name}' is missing from {parent}");
        Assert.True(value.ValueKind == kind, $"'{name}' is {value.ValueKind}, not {kind}: {value}");
        return value;
    }

    private static Dictionary<string, (int Active, int Expired)> CacheDetails(JsonElement stats) =>
        Field(stats, "cache_details", JsonValueKind.Object).EnumerateObject().ToDictionary(p => p.Name, p =>
        {
            var active = Field(p.Value, "active_items", JsonValueKind.Number).GetInt32();
            var expired = Field(p.Value, "expired_items", JsonValueKind.Number).GetInt32();
            Assert.True(active >= 0, $"{p.Name}: active_items {active}");
            // Nothing here expires by age: a changed artifact is replaced when it is next used.
            Assert.Equal(0, expired);
            Assert.Equal(active + expired, Field(p.Value, "total_items", JsonValueKind.Number).GetInt32());
            return (active, expired);
        });

    private static JsonElement Resolve(JsonElement document, JsonElement schema)
    {
        if (!schema.TryGetProperty("$ref", out var reference))
        {
            return schema;
        }

        var node = document;
        foreach (var part in reference.GetString()!.TrimStart('#', '/').Split('/'))
        {
            node = node.GetProperty(part);
        }

        return node;
    }

    /// <summary>The newest row of the example window, in the original's one-row form <c>{tag: value}</c>.</summary>
    private static JsonObject LastRow()
    {
        var lines = File.ReadAllLines(Path.Combine(TestServers.Kiln, "window-latest.csv"));
        var header = lines[0].Split(',');
        var cells = lines[^1].Split(',');
        return new JsonObject(header.Skip(1).Zip(cells.Skip(1)).Select(p => KeyValuePair.Create(p.First, (JsonNode?)JsonValue.Create(double.Parse(p.Second, CultureInfo.InvariantCulture)))));
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, JsonObject? body = null, bool admin = false)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        if (admin)
        {
            request.Headers.Add("X-Api-Key", ServiceFixture.ApiKey);
        }

        var response = await Client.SendAsync(request);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
    }
}
